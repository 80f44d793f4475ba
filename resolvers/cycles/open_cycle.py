"""``openCycle``: DRAFT → OPEN, once every required LEA has a SELPA and a drawn sample."""

from __future__ import annotations

from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q

from kernel.errors import ErrorCode, UserErrorData, user_error
from models import Cycle, LeaCycle
from models.shared.enums import CycleStatus
from resolvers.cycles.transition import CycleOutcome, find, move, wrong_state
from resolvers.shared.principal import Principal

SHOWN_MISSING = 10


async def _unready(cycle: Cycle, tx: BaseDBAsyncClient) -> UserErrorData | None:
    """Every required LEA needs a SELPA and a drawn sample before the cycle opens."""
    missing = (
        LeaCycle.filter(cycle_id=cycle.id, active=True, required=True)
        .filter(Q(selpa_id__isnull=True) | Q(sample_size__isnull=True))
        .order_by("lea__cds_code")
        .using_db(tx)
    )
    count = await missing.count()
    if count == 0:
        return None
    shown = await missing.limit(SHOWN_MISSING).values_list("lea__cds_code", flat=True)
    more = f" and {count - len(shown)} more" if count > len(shown) else ""
    return user_error(
        ErrorCode.INVALID_STATE,
        f"{count} required LEA(s) lack a SELPA or a drawn sample: "
        f"{', '.join(map(str, shown))}{more}.",
        "name",
    )


async def open_cycle(principal: Principal, name: str, now: datetime) -> CycleOutcome:
    found = await find(principal, name)
    if isinstance(found, UserErrorData):
        return CycleOutcome(errors=(found,))
    if found.status is not CycleStatus.DRAFT:
        return CycleOutcome(found, (wrong_state(found, "open", CycleStatus.DRAFT),))
    return await move(principal, found, CycleStatus.OPEN, now, "opened_at", ready=_unready)
