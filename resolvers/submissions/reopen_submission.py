"""``reopenSubmission``: CDE returns a submitted or approved submission to draft (SPEC §3.6)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from kernel.errors import UserErrorData
from mailers.compose import MailKind
from models import Submission
from models.submissions.steps import REOPEN
from resolvers.shared import reasons
from resolvers.shared.principal import Principal
from resolvers.submissions import mail_context as workflow_mail
from resolvers.submissions.target import Target
from resolvers.submissions.transition import Mail, Outcome, commit, refused, writable_target


@dataclass(frozen=True)
class ReopenSubmission:
    cycle: str
    cds_code: str
    reason: str
    expected_version: int | None = None


def _mails(target: Target, reason: str, now: datetime) -> Callable[[Submission], Sequence[Mail]]:
    def build(row: Submission) -> Sequence[Mail]:
        recipients = workflow_mail.submitter(row) + workflow_mail.selpa_contact(target)
        ctx = workflow_mail.context(target, reason=reason, reopened_at=now)
        return (Mail(MailKind.REOPENED, recipients, ctx),)

    return build


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
        mails=_mails(found, reason, now),
    )
    if isinstance(result, UserErrorData):
        return refused(found, result)
    return Outcome(result, found.sample_size)
