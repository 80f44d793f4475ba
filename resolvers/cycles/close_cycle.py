"""``closeCycle``: OPEN → CLOSED; the cycle is read-only afterwards."""

from __future__ import annotations

from datetime import datetime

from kernel.errors import UserErrorData
from models.shared.enums import CycleStatus
from resolvers.cycles.transition import CycleOutcome, find, move, wrong_state
from resolvers.shared.principal import Principal


async def close_cycle(principal: Principal, name: str, now: datetime) -> CycleOutcome:
    found = await find(principal, name)
    if isinstance(found, UserErrorData):
        return CycleOutcome(errors=(found,))
    if found.status is not CycleStatus.OPEN:
        return CycleOutcome(found, (wrong_state(found, "close", CycleStatus.OPEN),))
    return await move(principal, found, CycleStatus.CLOSED, now, "closed_at")
