"""``closeCycle``: OPEN → CLOSED; the cycle is read-only afterwards.

Refused (INVALID_STATE, naming the LEAs) while extensions or resubmission grace periods still
run or submissions wait for review, unless CDE forces it with a reason, which is recorded.
"""

from __future__ import annotations

from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient

from kernel.errors import ErrorCode, UserErrorData, user_error
from models import Cycle, LeaCycle, Submission
from models.cycles.closing import ClosingFacts, close_blocker
from models.shared.enums import CycleStatus, SubmissionStatus
from resolvers.cycles.transition import CycleOutcome, find, move, wrong_state
from resolvers.shared import reasons
from resolvers.shared.principal import Principal

SHOWN_BLOCKERS = 10


async def close_blockers(
    cycle: Cycle, now: datetime, tx: BaseDBAsyncClient | None = None
) -> list[tuple[str, str]]:
    """(CDS code, why) for each required LEA that keeps the cycle open, in CDS order."""
    members = LeaCycle.filter(cycle_id=cycle.id, active=True, required=True)
    submissions = Submission.filter(cycle_id=cycle.id)
    if tx is not None:
        members, submissions = members.using_db(tx), submissions.using_db(tx)
    extensions = dict(await members.values_list("lea_id", "due_at_extension"))
    rows = await submissions.filter(lea_id__in=list(extensions)).values_list(
        "lea_id", "lea__cds_code", "status", "review_decision", "reviewed_at"
    )
    found = []
    for lea_id, cds, status, decision, reviewed_at in rows:
        facts = ClosingFacts(
            str(cds), SubmissionStatus(status), extensions[lea_id], decision, reviewed_at
        )
        why = close_blocker(facts, now, cycle.due_at, cycle.resubmission_grace_days)
        if why is not None:
            found.append((facts.cds_code, why))
    return sorted(found)


def _blocked(blockers: list[tuple[str, str]]) -> UserErrorData:
    shown = blockers[:SHOWN_BLOCKERS]
    more = f" and {len(blockers) - len(shown)} more" if len(blockers) > len(shown) else ""
    listed = ", ".join(f"{cds} ({why})" for cds, why in shown)
    return user_error(
        ErrorCode.INVALID_STATE,
        f"{len(blockers)} LEA(s) keep the cycle open: {listed}{more}. "
        "Wait, or close with force and a reason.",
        "name",
    )


async def close_cycle(
    principal: Principal,
    name: str,
    now: datetime,
    *,
    force: bool = False,
    reason: str | None = None,
) -> CycleOutcome:
    found = await find(principal, name)
    if isinstance(found, UserErrorData):
        return CycleOutcome(errors=(found,))
    if found.status is not CycleStatus.OPEN:
        return CycleOutcome(found, (wrong_state(found, "close", CycleStatus.OPEN),))
    if force and (problem := reasons.reason_error(reason, required=True)):
        return CycleOutcome(found, (user_error(problem.code, problem.message, "reason"),))
    detail: dict[str, object] = {}

    async def ready(locked: Cycle, tx: BaseDBAsyncClient) -> UserErrorData | None:
        blockers = await close_blockers(locked, now, tx)
        if blockers and not force:
            return _blocked(blockers)
        if force:
            detail.update(
                forced=True,
                reason=reasons.clean(reason),
                blockers=[f"{cds} ({why})" for cds, why in blockers],
            )
        return None

    return await move(principal, found, CycleStatus.CLOSED, now, "closed_at", ready, detail)
