"""The ``SampledStudent`` type (student PII: only for roles that may see it)."""

from __future__ import annotations

from datetime import date

import strawberry

from models import SampledStudent as SampledRow


@strawberry.type
class SampledStudent:
    row: strawberry.Private[SampledRow]

    @strawberry.field
    def ssid(self) -> str:
        return self.row.ssid

    @strawberry.field
    def first_name(self) -> str:
        return self.row.student.first_name

    @strawberry.field
    def last_name(self) -> str:
        return self.row.student.last_name

    @strawberry.field
    def birth_date(self) -> date:
        return self.row.student.birth_date

    @strawberry.field
    def grade(self) -> str:
        return self.row.student.grade

    @strawberry.field
    def disability_category(self) -> str:
        return self.row.student.disability_category
