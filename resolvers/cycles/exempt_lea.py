"""CDE records an LEA as not required for a cycle, with a reason (SPEC §3.3): the one way,
beside the directory's explicit columns, that an LEA becomes exempt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from kernel.errors import ErrorCode, UserErrorData, user_error
from models import LeaCycle
from models.shared.enums import CycleStatus
from models.shared.identifiers import cds_code_problem, field_message
from resolvers.cycles.transition import find
from resolvers.shared import audit_log, reasons
from resolvers.shared.cycle_lock import locked_cycle
from resolvers.shared.principal import Principal

MAX_EXEMPT_REASON = 200


@dataclass(frozen=True)
class ExemptLea:
    cycle: str
    cds_code: str
    reason: str


@dataclass(frozen=True)
class ExemptOutcome:
    membership: LeaCycle | None = None
    errors: tuple[UserErrorData, ...] = ()


async def exempt_lea(principal: Principal, command: ExemptLea, now: datetime) -> ExemptOutcome:
    found = await find(principal, command.cycle)
    if isinstance(found, UserErrorData):
        return ExemptOutcome(errors=(found,))
    if problem := cds_code_problem(command.cds_code):
        error = user_error(ErrorCode.INVALID_INPUT, field_message("cdsCode", problem), "cdsCode")
        return ExemptOutcome(errors=(error,))
    if bad := reasons.reason_error(command.reason, required=True):
        return ExemptOutcome(errors=(user_error(bad.code, bad.message, "reason"),))
    reason = reasons.clean(command.reason) or ""
    if len(reason) > MAX_EXEMPT_REASON:
        error = user_error(
            ErrorCode.INVALID_INPUT,
            f"Give a reason of 1 to {MAX_EXEMPT_REASON} characters.",
            "reason",
        )
        return ExemptOutcome(errors=(error,))
    async with in_transaction() as tx:
        cycle = await locked_cycle(tx, found.id)
        if cycle.status is CycleStatus.CLOSED:
            error = user_error(ErrorCode.CYCLE_NOT_OPEN, f"Cycle {cycle.name} is CLOSED.", "cycle")
            return ExemptOutcome(errors=(error,))
        membership = (
            await LeaCycle.filter(cycle_id=cycle.id, lea__cds_code=command.cds_code)
            .using_db(tx)
            .first()
        )
        if membership is None:
            error = user_error(
                ErrorCode.NOT_FOUND,
                f"LEA {command.cds_code} is not in cycle {cycle.name}.",
                "cdsCode",
            )
            return ExemptOutcome(errors=(error,))
        before = (membership.required, membership.exempt_reason)
        await (
            LeaCycle.filter(id=membership.id)
            .using_db(tx)
            .update(required=False, exempt_reason=reason)
        )
        await audit_log.record(
            "lea.exempt",
            now,
            principal=principal,
            cycle_id=cycle.id,
            target=command.cds_code,
            detail={"reason": reason, "was_required": before[0], "previous_reason": before[1]},
            using=tx,
        )
    fresh = await LeaCycle.filter(id=membership.id).select_related("lea", "selpa").get()
    return ExemptOutcome(fresh)
