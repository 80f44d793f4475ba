"""Reading the audit log (CDE roles, enforced by the schema's permission classes)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from tortoise.expressions import Subquery

from models import AuditEvent, Cycle


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditEvent]
    keys: list[str]
    has_next: bool
    count: Callable[[], Awaitable[int]]


async def audit_page(
    cycle_name: str | None, action: str | None, first: int, after: str | None
) -> AuditPage:
    """Newest first (by id), ``first`` events after the event id ``after``."""
    query = AuditEvent.all()
    if cycle_name is not None:
        query = query.filter(cycle_id__in=Subquery(Cycle.filter(name=cycle_name).values("id")))
    if action is not None:
        query = query.filter(action=action)
    counted = query
    if after is not None:
        query = query.filter(id__lt=int(after))
    rows = await query.select_related("cycle").order_by("-id").limit(first + 1)
    return AuditPage(
        rows=rows[:first],
        keys=[str(row.id) for row in rows[:first]],
        has_next=len(rows) > first,
        count=counted.count,
    )
