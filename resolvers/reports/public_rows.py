"""Read the published snapshot of a cycle: open to anyone, anonymous included (SPEC §3.8)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from models import PublishedReport
from models.shared.enums import ReportGrouping


async def published_rows(
    cycle_name: str, grouping: ReportGrouping
) -> tuple[datetime | None, list[dict[str, Any]]]:
    """When the cycle was published and the rows of one grouping; no rows when it never was."""
    published = await PublishedReport.filter(cycle__name=cycle_name).first()
    if published is None:
        return None, []
    return published.published_at, list(published.snapshot["groupings"].get(grouping.value, []))
