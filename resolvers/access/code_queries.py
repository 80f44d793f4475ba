"""Listing access codes (never their values) for CDE administrators."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.expressions import Q

from models import AccessCode, Cycle, Lea, Selpa


@dataclass(frozen=True)
class CodePage:
    rows: list[AccessCode]
    has_next: bool
    total: int


async def access_code_page(
    cycle_name: str | None, scope_code: str | None, *, first: int, after: int | None
) -> CodePage:
    """Codes in issue order, optionally of one cycle and one SELPA or CDS code."""
    query = AccessCode.all()
    if cycle_name is not None:
        cycle = await Cycle.get_or_none(name=cycle_name)
        query = query.filter(cycle_id=cycle.id if cycle else -1)
    if scope_code is not None:
        selpa = await Selpa.get_or_none(code=scope_code) if len(scope_code) == 4 else None
        lea = await Lea.get_or_none(cds_code=scope_code) if len(scope_code) == 14 else None
        query = query.filter(
            Q(selpa_id=selpa.id if selpa else -1) | Q(lea_id=lea.id if lea else -1)
        )
    total = await query.count()
    if after is not None:
        query = query.filter(id__gt=after)
    rows = await query.select_related("cycle", "selpa", "lea").order_by("id").limit(first + 1)
    return CodePage(rows=rows[:first], has_next=len(rows) > first, total=total)
