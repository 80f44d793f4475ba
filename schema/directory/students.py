"""The ``SampledStudent`` type (student PII: only for roles that may see it)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import strawberry


@strawberry.type(
    description="A student drawn into an LEA's sample; student PII, shown only to CDE_ADMIN, "
    "the LEA's SELPA and the LEA."
)
class SampledStudent:
    ssid: str = strawberry.field(
        description="The student's 10-digit Statewide Student Identifier (SSID)."
    )
    first_name: str = strawberry.field(description="The student's first name.")
    last_name: str = strawberry.field(description="The student's last name.")
    birth_date: date = strawberry.field(description="The student's birth date.")
    grade: str = strawberry.field(description="The grade code: PS, TK, KN, 01 to 12, UE or US.")
    disability_category: str = strawberry.field(
        description="The student's federal disability category code, e.g. SLD or AUT."
    )

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> SampledStudent:
        """The student from one page row (``STUDENT_COLUMNS``)."""
        return cls(
            ssid=row["ssid"],
            first_name=row["first_name"],
            last_name=row["last_name"],
            birth_date=row["birth_date"],
            grade=row["grade"],
            disability_category=row["disability_category"],
        )
