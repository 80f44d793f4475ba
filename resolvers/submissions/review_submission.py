"""``reviewSubmission``: the LEA's SELPA approves, or rejects with a reason (SPEC §3.6)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from kernel.errors import ErrorCode, UserErrorData, user_error
from mailers.compose import MailKind
from models import Submission
from models.shared.deadlines import writable_until
from models.shared.enums import ReviewDecision
from models.submissions.steps import APPROVE, REJECT
from resolvers.shared import reasons
from resolvers.shared.principal import Principal
from resolvers.submissions import mail_context as workflow_mail
from resolvers.submissions.target import Target
from resolvers.submissions.transition import Mail, Outcome, commit, refused, writable_target


@dataclass(frozen=True)
class ReviewSubmission:
    cycle: str
    cds_code: str
    decision: ReviewDecision
    reason: str | None = None
    reviewer_name: str | None = None
    expected_version: int | None = None


def _mails(target: Target, decision: ReviewDecision) -> Callable[[Submission], Sequence[Mail]]:
    def build(row: Submission) -> Sequence[Mail]:
        assert row.reviewed_at is not None
        if decision is ReviewDecision.APPROVE:
            ctx = workflow_mail.context(target, reviewed_at=row.reviewed_at)
            return (Mail(MailKind.APPROVED, workflow_mail.submitter(row), ctx),)
        until = writable_until(target.due_at, row.reviewed_at, target.cycle.resubmission_grace_days)
        ctx = workflow_mail.context(
            target,
            reviewed_at=row.reviewed_at,
            reason=row.rejection_reason,
            resubmit_until=until,
        )
        return (Mail(MailKind.REJECTED, workflow_mail.submitter(row), ctx),)

    return build


MAX_REVIEWER_NAME = 200


async def review_submission(
    principal: Principal, command: ReviewSubmission, now: datetime
) -> Outcome:
    rejecting = command.decision is ReviewDecision.REJECT
    step = REJECT if rejecting else APPROVE
    found = await writable_target(
        principal, command.cycle, command.cds_code, step, now, command.expected_version
    )
    if isinstance(found, Outcome):
        return found
    errors = [e for e in (reasons.reason_error(command.reason, required=rejecting),) if e]
    name = (command.reviewer_name or "").strip() or None
    if name is not None and len(name) > MAX_REVIEWER_NAME:
        errors.append(
            user_error(
                ErrorCode.INVALID_INPUT,
                f"reviewerName must be at most {MAX_REVIEWER_NAME} characters.",
                "input",
                "reviewerName",
            )
        )
    if errors:
        return refused(found, *errors)
    reason = reasons.clean(command.reason)
    result = await commit(
        found,
        step,
        principal=principal,
        now=now,
        changes={
            "review_decision": command.decision,
            "rejection_reason": reason if rejecting else None,
            "reviewer_role": principal.role.value,
            "reviewer_scope": principal.audit_scope,
            "reviewer_name": name,
            "reviewed_at": now,
        },
        actor_name=name,
        reason=reason,
        mails=_mails(found, command.decision),
    )
    if isinstance(result, UserErrorData):
        return refused(found, result)
    return Outcome(result, found.sample_size)
