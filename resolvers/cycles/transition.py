"""A cycle moves DRAFT → OPEN → CLOSED by compare-and-set on its version (SPEC §3.1)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from kernel.errors import ErrorCode, UserErrorData, user_error
from models import Cycle
from models.access.permits import ADMINISTER_CYCLES
from models.shared.enums import CycleStatus
from models.shared.identifiers import cycle_name_problem, field_message
from resolvers.shared import audit_log, scope
from resolvers.shared.cycle_lock import locked_cycle
from resolvers.shared.principal import Principal


@dataclass(frozen=True)
class CycleOutcome:
    cycle: Cycle | None = None
    errors: tuple[UserErrorData, ...] = ()


async def find(principal: Principal, name: str) -> Cycle | UserErrorData:
    if problem := cycle_name_problem(name):
        return user_error(ErrorCode.INVALID_INPUT, field_message("name", problem), "name")
    cycle = await scope.cycles(principal).filter(name=name).first()
    if cycle is None:
        return user_error(ErrorCode.NOT_FOUND, f"There is no cycle {name}.", "name")
    scope.authorize(principal, ADMINISTER_CYCLES)
    return cycle


def wrong_state(cycle: Cycle, action: str, needed: CycleStatus) -> UserErrorData:
    return user_error(
        ErrorCode.INVALID_STATE,
        f"Cycle {cycle.name} is {cycle.status.value}; only a {needed.value} cycle can {action}.",
        "name",
    )


Readiness = Callable[[Cycle, BaseDBAsyncClient], Awaitable[UserErrorData | None]]


async def move(
    principal: Principal,
    cycle: Cycle,
    to: CycleStatus,
    now: datetime,
    stamp: str,
    ready: Readiness | None = None,
    detail: dict[str, object] | None = None,
) -> CycleOutcome:
    """Compare-and-set the status; ``ready`` is checked in the same transaction, with the cycle
    row locked, so nothing it depends on (a roster import, a draw) can change in between;
    ``detail`` (which ``ready`` may fill) goes into the audit event."""
    async with in_transaction() as tx:
        locked = await locked_cycle(tx, cycle.id)
        if ready is not None and (locked.status, locked.version) == (cycle.status, cycle.version):
            problem = await ready(locked, tx)
            if problem is not None:
                return CycleOutcome(locked, (problem,))
        won = (
            await Cycle.filter(id=cycle.id, version=cycle.version, status=cycle.status)
            .using_db(tx)
            .update(status=to, version=cycle.version + 1, **{stamp: now})
        )
        if won == 1:
            await audit_log.record(
                "cycle.open" if to is CycleStatus.OPEN else "cycle.close",
                now,
                principal=principal,
                cycle_id=cycle.id,
                target=cycle.name,
                detail={"from": cycle.status.value, "to": to.value, **(detail or {})},
                using=tx,
            )
    fresh = await Cycle.get(id=cycle.id)
    if won != 1:
        needed = CycleStatus.DRAFT if to is CycleStatus.OPEN else CycleStatus.OPEN
        if fresh.status is needed:
            error = user_error(
                ErrorCode.VERSION_CONFLICT, "The cycle changed meanwhile; try again.", "name"
            )
        else:
            error = wrong_state(fresh, "open" if to is CycleStatus.OPEN else "close", needed)
        return CycleOutcome(fresh, (error,))
    return CycleOutcome(fresh)
