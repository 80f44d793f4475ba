"""The derived A/B/C counts of LEAs' worksheets, summed in SQL in one statement.

The CASE conditions are SPEC §3.4's integer rule (``models.worksheet.categories.category``)
written in SQL; callers pass LEAs the caller already sees.
"""

from __future__ import annotations

from collections.abc import Collection

from tortoise.expressions import RawSQL
from tortoise.functions import Count

from models import SampledStudent
from models.worksheet.rules import WorksheetCounts

_ENTERED = "prescribed_minutes IS NOT NULL AND provided_minutes IS NOT NULL"
_A = "100 * provided_minutes >= 95 * prescribed_minutes"
_B = f"100 * provided_minutes >= 90 * prescribed_minutes AND NOT ({_A})"
_C = "100 * provided_minutes < 90 * prescribed_minutes"


def _count_where(condition: str) -> str:
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


COUNT_EXPRESSIONS = {
    "missing": _count_where(f"NOT ({_ENTERED})"),
    "a": _count_where(f"{_ENTERED} AND {_A}"),
    "b": _count_where(f"{_ENTERED} AND {_B}"),
    "c": _count_where(f"{_ENTERED} AND {_C}"),
}
"""The SQL aggregates over a group of sampled students: without minutes, and A, B, C."""


async def derived_counts(cycle_id: int, lea_ids: Collection[int]) -> dict[int, WorksheetCounts]:
    """Per LEA id asked for (zeros for an LEA without sampled students)."""
    found: dict[int, WorksheetCounts] = dict.fromkeys(lea_ids, WorksheetCounts())
    if not lea_ids:
        return found
    rows = (
        await SampledStudent.filter(cycle_id=cycle_id, lea_id__in=set(lea_ids))
        .annotate(
            sampled=Count("id"),
            **{name: RawSQL(sql) for name, sql in COUNT_EXPRESSIONS.items()},
        )
        .group_by("lea_id")
        .values("lea_id", "sampled", "missing", "a", "b", "c")
    )
    for row in rows:
        found[int(row["lea_id"])] = WorksheetCounts(
            sampled=int(row["sampled"]),
            missing=int(row["missing"] or 0),
            count_a=int(row["a"] or 0),
            count_b=int(row["b"] or 0),
            count_c=int(row["c"] or 0),
        )
    return found
