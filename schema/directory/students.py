"""The ``SampledStudent`` type (student PII: only for roles that may see it)."""

from __future__ import annotations

from datetime import date

import strawberry

from models import SampledStudent as SampledRow


@strawberry.type(
    description="A student drawn into an LEA's sample; student PII, shown only to CDE_ADMIN, "
    "the LEA's SELPA and the LEA."
)
class SampledStudent:
    row: strawberry.Private[SampledRow]

    @strawberry.field(description="The student's 10-digit Statewide Student Identifier (SSID).")
    def ssid(self) -> str:
        return self.row.ssid

    @strawberry.field(description="The student's first name.")
    def first_name(self) -> str:
        return self.row.student.first_name

    @strawberry.field(description="The student's last name.")
    def last_name(self) -> str:
        return self.row.student.last_name

    @strawberry.field(description="The student's birth date.")
    def birth_date(self) -> date:
        return self.row.student.birth_date

    @strawberry.field(description="The grade code: PS, TK, KN, 01 to 12, UE or US.")
    def grade(self) -> str:
        return self.row.student.grade

    @strawberry.field(
        description="The student's federal disability category code, e.g. SLD or AUT."
    )
    def disability_category(self) -> str:
        return self.row.student.disability_category
