"""Record worksheet minutes for sampled students, all or nothing (SPEC §3.9).

Writable while the submission is: the same state and deadline rules as ``saveCounts``. The
write locks the submission row (compare-and-set on its status), so minutes never land on a
submission that was submitted meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from kernel.errors import ErrorCode, UserErrorData, user_error
from models import Cycle, LeaCycle, SampledStudent, Submission
from models.shared.enums import CycleStatus
from models.submissions.refusal import refusal
from models.submissions.steps import SAVE
from models.worksheet.rules import EntryProblem, MinutesEntry, entry_problems, window_minutes
from resolvers.shared import audit_log, scope
from resolvers.shared.principal import Principal
from resolvers.submissions.target import Target, find_submission_target

ENTRIES = "entries"


@dataclass(frozen=True)
class RecordMinutes:
    cycle: str
    cds_code: str
    entries: Sequence[MinutesEntry]
    found_before: Sequence[EntryProblem] = ()
    """Problems the caller already found (CSV rows of the wrong width, cells not numbers)."""
    limit_to_sample: bool = True
    """Refuse more entries than the sample holds before looking at any of them."""
    source: str = "api"


@dataclass(frozen=True)
class MinutesOutcome:
    membership: LeaCycle | None = None
    errors: tuple[UserErrorData, ...] = ()
    """Not found, or the one blocking state error."""
    problems: tuple[EntryProblem, ...] = ()
    recorded: int = 0
    cleared: int = 0


class _Lost(Exception):
    """The submission stopped being writable before the minutes were written."""


def too_many(sample_size: int) -> EntryProblem:
    return EntryProblem(-1, ENTRIES, f"at most {sample_size} entries (the sample size) per call")


async def record_minutes(
    principal: Principal, command: RecordMinutes, now: datetime
) -> MinutesOutcome:
    found = await find_submission_target(principal, command.cycle, command.cds_code, SAVE.permit)
    if isinstance(found, UserErrorData):
        return MinutesOutcome(errors=(found,))
    blocked = refusal(SAVE, found.facts(), now, None)
    if blocked is not None:
        return MinutesOutcome(found.membership, (blocked,))
    if command.limit_to_sample and len(command.entries) > found.sample_size:
        return MinutesOutcome(found.membership, problems=(too_many(found.sample_size),))
    lea_id: int = found.membership.lea_id
    students = {
        row.ssid: row
        for row in await scope.sampled_students(principal, found.cycle.id).filter(lea_id=lea_id)
    }
    window = window_minutes(found.cycle.window_start, found.cycle.window_end)
    before = command.found_before
    reported = {(problem.index, problem.column) for problem in before}
    problems = [*before, *entry_problems(command.entries, students, window, reported)]
    if problems:
        problems.sort(key=lambda problem: problem.position)
        return MinutesOutcome(found.membership, problems=tuple(problems))
    changed = []
    for entry in command.entries:
        row = students[entry.ssid]
        row.prescribed_minutes = entry.prescribed
        row.provided_minutes = entry.provided
        row.minutes_updated_at = now
        changed.append(row)
    cleared = sum(1 for entry in command.entries if entry.clears)
    try:
        await _write(found, principal, changed, now, command.source, cleared)
    except _Lost:
        return MinutesOutcome(found.membership, (await _why_lost(principal, command, now),))
    return MinutesOutcome(found.membership, recorded=len(changed) - cleared, cleared=cleared)


async def _write(
    found: Target,
    principal: Principal,
    changed: list[SampledStudent],
    now: datetime,
    source: str,
    cleared: int,
) -> None:
    submission = found.submission
    assert submission is not None
    open_cycle = Cycle.filter(id=found.cycle.id, status=CycleStatus.OPEN).values("id")
    async with in_transaction() as tx:
        writable = (
            await Submission.filter(
                id=submission.id,
                status__in=list(SAVE.sources),
                cycle_id__in=Subquery(open_cycle),
            )
            .select_for_update()
            .using_db(tx)
            .first()
        )
        if writable is None:
            raise _Lost
        if changed:
            await SampledStudent.bulk_update(
                changed,
                fields=["prescribed_minutes", "provided_minutes", "minutes_updated_at"],
                batch_size=500,
                using_db=tx,
            )
        await audit_log.record(
            "worksheet.record",
            now,
            principal=principal,
            cycle_id=found.cycle.id,
            target=found.cds_code,
            detail={"source": source, "entries": len(changed), "cleared": cleared},
            using=tx,
        )


async def _why_lost(principal: Principal, command: RecordMinutes, now: datetime) -> UserErrorData:
    found = await find_submission_target(principal, command.cycle, command.cds_code, SAVE.permit)
    if isinstance(found, UserErrorData):
        return found
    blocked = refusal(SAVE, found.facts(), now, None)
    return blocked or user_error(
        ErrorCode.INVALID_STATE, "The submission changed meanwhile; reload and try again."
    )
