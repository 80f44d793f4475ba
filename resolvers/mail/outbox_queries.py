"""Reading the mail outbox (CDE only, enforced by the schema's permission classes)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from models import OutboxMessage
from models.shared.enums import OutboxStatus


@dataclass(frozen=True)
class OutboxPage:
    rows: list[OutboxMessage]
    keys: list[str]
    has_next: bool
    count: Callable[[], Awaitable[int]]


async def outbox_page(status: OutboxStatus | None, first: int, after: str | None) -> OutboxPage:
    """Newest first (by id), ``first`` rows after the row id ``after``."""
    query = OutboxMessage.all()
    if status is not None:
        query = query.filter(status=status)
    counted = query
    if after is not None:
        query = query.filter(id__lt=int(after))
    rows = await query.order_by("-id").limit(first + 1)
    return OutboxPage(
        rows=rows[:first],
        keys=[str(row.id) for row in rows[:first]],
        has_next=len(rows) > first,
        count=counted.count,
    )
