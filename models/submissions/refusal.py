"""Why a step may not change a submission now: the one judgement, made on plain facts.

The same function decides before a transition and, after a lost compare-and-set, on the facts
read again, so a caller is told the same reason whichever way the refusal was found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kernel.errors import ErrorCode, UserErrorData, user_error
from models.shared.deadlines import may_write
from models.shared.enums import CycleStatus, ReviewDecision, SubmissionStatus
from models.submissions.steps import Step


@dataclass(frozen=True)
class SubmissionFacts:
    """What decides whether a step may change one LEA's submission."""

    cycle_name: str
    cycle_status: CycleStatus
    grace_days: int
    cds_code: str
    required: bool
    status: SubmissionStatus
    version: int
    due_at: datetime
    """The LEA's effective due time: its extension, else the cycle's."""
    rejected_at: datetime | None
    """When the current rejection was made; None unless the submission stands rejected."""


def rejection_time(
    decision: ReviewDecision | None, reviewed_at: datetime | None
) -> datetime | None:
    return reviewed_at if decision is ReviewDecision.REJECT else None


def cycle_not_open(name: str, status: CycleStatus) -> UserErrorData:
    return user_error(
        ErrorCode.CYCLE_NOT_OPEN,
        f"Cycle {name} is {status.value}: it accepts no changes.",
        "input",
        "cycle",
    )


def state_error(step: Step, status: SubmissionStatus) -> UserErrorData:
    return user_error(
        ErrorCode.INVALID_STATE,
        f"A {status.value} submission does not allow {step.action} "
        f"(only {step.allowed_from()} does).",
    )


def version_conflict(current: int) -> UserErrorData:
    return user_error(
        ErrorCode.VERSION_CONFLICT,
        f"The submission changed meanwhile (now version {current}); reload and try again.",
        "input",
        "expectedVersion",
    )


def refusal(
    step: Step, facts: SubmissionFacts, now: datetime, expected_version: int | None
) -> UserErrorData | None:
    """The first reason ``step`` is refused, in the order CYCLE_NOT_OPEN, DEADLINE_PASSED,
    VERSION_CONFLICT, INVALID_STATE (exempt LEA, then the status); None when it may go ahead."""
    if facts.cycle_status is not CycleStatus.OPEN:
        return cycle_not_open(facts.cycle_name, facts.cycle_status)
    if step.lea_write and not may_write(now, facts.due_at, facts.rejected_at, facts.grace_days):
        return user_error(
            ErrorCode.DEADLINE_PASSED,
            f"The due time of LEA {facts.cds_code} has passed.",
        )
    if expected_version is not None and expected_version != facts.version:
        return version_conflict(facts.version)
    if step.lea_write and not facts.required:
        return user_error(
            ErrorCode.INVALID_STATE,
            f"LEA {facts.cds_code} is exempt this cycle and needs no submission.",
        )
    if facts.status not in step.sources:
        return state_error(step, facts.status)
    return None
