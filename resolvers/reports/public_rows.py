"""Read the published snapshot of a cycle: open to anyone, anonymous included (SPEC §3.8)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from models import PublishedReport
from models.shared.enums import ReportGrouping


@dataclass(frozen=True)
class PublishedRows:
    published_at: datetime
    due_at: datetime | None
    rows: list[dict[str, Any]]


async def published_rows(cycle_name: str, grouping: ReportGrouping) -> PublishedRows | None:
    """When the cycle was published, its due time and the rows of one grouping; None when it
    never was."""
    published = await PublishedReport.filter(cycle__name=cycle_name).first()
    if published is None:
        return None
    due = published.snapshot.get("dueAt")
    return PublishedRows(
        published_at=published.published_at,
        due_at=datetime.fromisoformat(due) if due else None,
        rows=list(published.snapshot["groupings"].get(grouping.value, [])),
    )
