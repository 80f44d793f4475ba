"""``reopenSubmission``: CDE returns a submitted or approved submission to draft (SPEC §3.6).

The LEA gets a due time it can meet: the one CDE gives, or, when its due time is past or
nearer than the cycle's grace days, 23:59 Pacific of the day that many days from now. It is
recorded as the LEA's extension, with the reopening."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient

from kernel.errors import ErrorCode, UserErrorData, user_error
from mailers.compose import MailKind
from models import LeaCycle, Submission
from models.shared.deadlines import reopen_due, to_pacific
from models.submissions.steps import REOPEN
from resolvers.shared import reasons
from resolvers.shared.principal import Principal
from resolvers.submissions import mail_context as workflow_mail
from resolvers.submissions.grant_extension import audit_extension
from resolvers.submissions.target import Target
from resolvers.submissions.transition import Mail, Outcome, commit, refused, writable_target


@dataclass(frozen=True)
class ReopenSubmission:
    cycle: str
    cds_code: str
    reason: str
    expected_version: int | None = None
    due_at: datetime | None = None


def _mails(
    target: Target, reason: str, now: datetime, due: datetime
) -> Callable[[Submission], Sequence[Mail]]:
    def build(row: Submission) -> Sequence[Mail]:
        recipients = workflow_mail.submitter(row) + workflow_mail.selpa_contact(target)
        ctx = workflow_mail.context(target, reason=reason, reopened_at=now, due_at=to_pacific(due))
        return (Mail(MailKind.REOPENED, recipients, ctx),)

    return build


def _due_error(due_at: datetime, now: datetime) -> UserErrorData | None:
    if due_at.tzinfo is None or due_at.utcoffset() is None:
        message = "dueAt must carry an explicit UTC offset, e.g. 2025-07-15T23:59:00-07:00."
    elif due_at <= now:
        message = "dueAt must be in the future."
    else:
        return None
    return user_error(ErrorCode.INVALID_INPUT, message, "input", "dueAt")


async def reopen_submission(
    principal: Principal, command: ReopenSubmission, now: datetime
) -> Outcome:
    found = await writable_target(
        principal, command.cycle, command.cds_code, REOPEN, now, command.expected_version
    )
    if isinstance(found, Outcome):
        return found
    bad_reason = reasons.reason_error(command.reason, required=True)
    if bad_reason is not None:
        return refused(found, bad_reason)
    reason = reasons.clean(command.reason) or ""
    current = found.due_at
    if command.due_at is not None:
        bad_due = _due_error(command.due_at, now)
        if bad_due is not None:
            return refused(found, bad_due)
        new_due: datetime | None = command.due_at if command.due_at > current else None
    else:
        new_due = reopen_due(now, current, found.cycle.resubmission_grace_days)
    membership = found.membership

    async def extend(tx: BaseDBAsyncClient) -> None:
        if new_due is None:
            return
        await LeaCycle.filter(id=membership.id).using_db(tx).update(due_at_extension=new_due)
        membership.due_at_extension = new_due
        await audit_extension(tx, principal, found, current, new_due, now, {"with": "reopen"})

    result = await commit(
        found,
        REOPEN,
        principal=principal,
        now=now,
        changes={
            "review_decision": None,
            "rejection_reason": None,
            "reviewer_role": None,
            "reviewer_scope": None,
            "reviewer_name": None,
            "reviewed_at": None,
        },
        reason=reason,
        mails=_mails(found, reason, now, new_due or current),
        also=extend,
    )
    if isinstance(result, UserErrorData):
        return refused(found, result)
    return Outcome(result, found.sample_size)
