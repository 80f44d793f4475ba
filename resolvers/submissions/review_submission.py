"""``reviewSubmission``: the LEA's SELPA approves, or rejects with a reason (SPEC §3.6).

An approval is certified: the reviewer's name and title, and ``certify`` against the cycle's
SELPA certification statement, which the submission keeps. When the SELPA itself entered and
submitted the counts, the approval is allowed but marked self-reviewed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from kernel.errors import ErrorCode, UserErrorData, user_error
from mailers.compose import MailKind
from models import Submission, SubmissionEvent
from models.shared.deadlines import writable_until
from models.shared.enums import ReviewDecision, Role
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
    reviewer_title: str | None = None
    certify: bool = False


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


def _certification_errors(
    name: str | None, title: str | None, certify: bool
) -> list[UserErrorData]:
    errors = []
    for value, field in ((name, "reviewerName"), (title, "reviewerTitle")):
        if value is None:
            errors.append(
                user_error(
                    ErrorCode.INVALID_INPUT, f"An approval needs the {field}.", "input", field
                )
            )
    if title is not None and len(title) > MAX_REVIEWER_NAME:
        errors.append(
            user_error(
                ErrorCode.INVALID_INPUT,
                f"reviewerTitle must be at most {MAX_REVIEWER_NAME} characters.",
                "input",
                "reviewerTitle",
            )
        )
    if not certify:
        errors.append(
            user_error(
                ErrorCode.NOT_CERTIFIED,
                "Approving needs certify: true against the SELPA certification statement.",
                "input",
                "certify",
            )
        )
    return errors


async def _entered_by_selpa(target: Target) -> bool:
    """Whether the submission under review was submitted by the SELPA itself."""
    row = target.submission
    assert row is not None
    last = (
        await SubmissionEvent.filter(submission_id=row.id, action="submit").order_by("-id").first()
    )
    return last is not None and last.actor_role == Role.SELPA.value


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
    title = (command.reviewer_title or "").strip() or None
    if not rejecting:
        errors.extend(_certification_errors(name, title, command.certify))
    if errors:
        return refused(found, *errors)
    reason = reasons.clean(command.reason)
    certified: dict[str, object] = {"reviewer_title": title}
    if not rejecting:
        certified.update(
            review_certification_text=found.cycle.selpa_certification_text,
            self_reviewed=await _entered_by_selpa(found),
        )
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
            **certified,
        },
        actor_name=name,
        reason=reason,
        mails=_mails(found, command.decision),
    )
    if isinstance(result, UserErrorData):
        return refused(found, result)
    return Outcome(result, found.sample_size)
