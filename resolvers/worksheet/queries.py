"""Reading a worksheet's rows (student PII) through the scope hooks."""

from __future__ import annotations

from models import SampledStudent
from resolvers.shared import scope
from resolvers.shared.principal import Principal


async def worksheet_rows(
    principal: Principal, cycle_id: int, lea_id: int, *, first: int, after: str | None
) -> list[SampledStudent]:
    """The LEA's sampled students in SSID order, ``first`` of them after the SSID ``after``."""
    query = scope.sampled_students(principal, cycle_id).filter(lea_id=lea_id)
    if after is not None:
        query = query.filter(ssid__gt=after)
    return await query.order_by("ssid").limit(first)
