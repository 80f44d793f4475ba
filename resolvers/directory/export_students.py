""" "Download Student Records": an LEA's sampled students with their worksheet minutes, read in
batches through the scope hooks (the caller never reaches another tenant's students)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from models.directory.record_columns import STUDENT_COLUMNS
from resolvers.shared import scope
from resolvers.shared.principal import Principal

COLUMNS = STUDENT_COLUMNS
BATCH = 1000


async def student_rows(
    principal: Principal, cycle_id: int, lea_id: int, batch: int = BATCH
) -> AsyncIterator[list[list[str]]]:
    """Batches of CSV rows in SSID order."""
    after = ""
    while True:
        rows = (
            await scope.sampled_students(principal, cycle_id)
            .filter(lea_id=lea_id, ssid__gt=after)
            .order_by("ssid")
            .limit(batch)
            .values_list(
                "ssid",
                "student__first_name",
                "student__last_name",
                "student__birth_date",
                "student__grade",
                "student__disability_category",
                "prescribed_minutes",
                "provided_minutes",
            )
        )
        if not rows:
            return
        yield [["" if value is None else str(value) for value in row] for row in rows]
        if len(rows) < batch:
            return
        after = str(rows[-1][0])
