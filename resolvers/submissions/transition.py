"""The one way a submission changes status (SPEC §3.6); the rules are in models.submissions.

Each transition is a compare-and-set on (id, version, status) of a submission in an OPEN cycle,
made in one transaction with its submission event, its audit event and its outbox rows: either
all of them are written or none, and of two concurrent transitions only one can win.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from kernel.errors import UserErrorData
from mailers import outbox
from mailers.compose import MailKind
from models import Cycle, Submission
from models.shared.enums import CycleStatus
from models.submissions.refusal import refusal, version_conflict
from models.submissions.steps import Step
from resolvers.shared import audit_log
from resolvers.shared.principal import Principal
from resolvers.submissions.history import record_event
from resolvers.submissions.target import Target, find_submission_target


@dataclass(frozen=True)
class Mail:
    kind: MailKind
    recipients: tuple[str, ...]
    context: dict[str, Any]


@dataclass(frozen=True)
class Outcome:
    """What a submission use case answers: the submission as it now stands, or why not."""

    submission: Submission | None = None
    sample_size: int = 0
    errors: tuple[UserErrorData, ...] = ()


def refused(found: Target | UserErrorData, *errors: UserErrorData) -> Outcome:
    if isinstance(found, UserErrorData):
        return Outcome(errors=(found, *errors))
    return Outcome(found.submission, found.sample_size, errors)


async def writable_target(
    principal: Principal,
    cycle_name: str,
    cds_code: str,
    step: Step,
    now: datetime,
    expected_version: int | None,
) -> Target | Outcome:
    """The submission ``step`` would change, or the refusal: not found, then the first
    blocking state error."""
    found = await find_submission_target(principal, cycle_name, cds_code, step.permit)
    if isinstance(found, UserErrorData):
        return refused(found)
    blocked = refusal(step, found.facts(), now, expected_version)
    if blocked is not None:
        return refused(found, blocked)
    return found


class _Lost(Exception):
    """Another transition changed the submission first."""


async def commit(
    target: Target,
    step: Step,
    *,
    principal: Principal,
    now: datetime,
    changes: dict[str, Any],
    actor_name: str | None = None,
    reason: str | None = None,
    mails: Callable[[Submission], Sequence[Mail]] = lambda _: (),
    also: Callable[[BaseDBAsyncClient], Awaitable[None]] | None = None,
) -> Submission | UserErrorData:
    """Apply ``step`` if the submission is still as read; else say why it lost. ``also`` writes
    in the same transaction, once the step has won."""
    row = target.submission
    assert row is not None
    version = row.version + 1
    open_cycle = Cycle.filter(id=target.cycle.id, status=CycleStatus.OPEN).values("id")
    try:
        async with in_transaction() as tx:
            won = (
                await Submission.filter(
                    id=row.id,
                    version=row.version,
                    status=row.status,
                    cycle_id__in=Subquery(open_cycle),
                )
                .using_db(tx)
                .update(status=step.target, version=version, updated_at=now, **changes)
            )
            if won != 1:
                raise _Lost
            if also is not None:
                await also(tx)
            fresh = await Submission.filter(id=row.id).using_db(tx).get()
            await record_event(
                tx,
                fresh,
                principal=principal,
                action=step.action,
                from_status=row.status,
                at=now,
                actor_name=actor_name,
                reason=reason,
            )
            await audit_log.record(
                f"submission.{step.action}",
                now,
                principal=principal,
                cycle_id=target.cycle.id,
                target=target.cds_code,
                detail={"from": row.status.value, "to": step.target.value, "version": version},
                using=tx,
            )
            for mail in mails(fresh):
                await outbox.queue(
                    mail.kind,
                    event_key=f"submission:{row.id}:v{version}:{mail.kind.value}",
                    recipients=mail.recipients,
                    context=mail.context,
                    now=now,
                    cycle_id=target.cycle.id,
                    using=tx,
                )
    except _Lost:
        return await _why_lost(target, step, now)
    target.submission = fresh
    return fresh


async def _why_lost(target: Target, step: Step, now: datetime) -> UserErrorData:
    """Read the submission and its cycle again and judge the step on what won meanwhile."""
    row = target.submission
    assert row is not None
    acted_on = row.version
    target.submission = await Submission.get(id=row.id)
    target.cycle = await Cycle.get(id=target.cycle.id)
    return refusal(step, target.facts(), now, acted_on) or version_conflict(
        target.submission.version
    )
