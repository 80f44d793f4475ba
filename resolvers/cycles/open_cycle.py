"""``openCycle``: DRAFT → OPEN, once every required LEA has a roster, a SELPA and a drawn
sample."""

from __future__ import annotations

from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q

from kernel.errors import ErrorCode, UserErrorData, user_error
from models import Cycle, LeaCycle
from models.shared.enums import CycleStatus
from resolvers.cycles.roster_missing import roster_missing
from resolvers.cycles.transition import CycleOutcome, find, move, wrong_state
from resolvers.shared.principal import Principal

SHOWN_MISSING = 10


async def _unready(cycle: Cycle, tx: BaseDBAsyncClient) -> UserErrorData | None:
    """Every required LEA needs a roster, a SELPA and a drawn sample before the cycle opens."""
    without_roster = await roster_missing(cycle.id, tx)
    if without_roster:
        return _listed(
            ErrorCode.ROSTER_MISSING,
            f"{len(without_roster)} required LEA(s) have no roster loaded (load it, or exempt "
            "the LEA with a reason)",
            without_roster,
        )
    missing = (
        LeaCycle.filter(cycle_id=cycle.id, active=True, required=True)
        .filter(Q(selpa_id__isnull=True) | Q(sample_size__isnull=True))
        .order_by("lea__cds_code")
        .using_db(tx)
    )
    codes = [str(code) for code in await missing.values_list("lea__cds_code", flat=True)]
    if not codes:
        return None
    return _listed(
        ErrorCode.INVALID_STATE,
        f"{len(codes)} required LEA(s) lack a SELPA or a drawn sample",
        codes,
    )


def _listed(code: ErrorCode, lead: str, cds_codes: list[str]) -> UserErrorData:
    shown = cds_codes[:SHOWN_MISSING]
    more = f" and {len(cds_codes) - len(shown)} more" if len(cds_codes) > len(shown) else ""
    return user_error(code, f"{lead}: {', '.join(shown)}{more}.", "name")


async def open_cycle(principal: Principal, name: str, now: datetime) -> CycleOutcome:
    found = await find(principal, name)
    if isinstance(found, UserErrorData):
        return CycleOutcome(errors=(found,))
    if found.status is not CycleStatus.DRAFT:
        return CycleOutcome(found, (wrong_state(found, "open", CycleStatus.DRAFT),))
    return await move(principal, found, CycleStatus.OPEN, now, "opened_at", ready=_unready)
