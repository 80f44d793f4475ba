"""``submitSubmission``: certify and submit the saved counts for the SELPA's review (SPEC §3.5)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kernel.errors import ErrorCode, UserErrorData, user_error
from mailers.compose import MailKind
from models import Submission
from models.shared.identifiers import is_email, is_phone_ext, normalize_us_phone
from models.submissions.steps import SUBMIT
from resolvers.shared.principal import Principal
from resolvers.submissions import mail_context as workflow_mail
from resolvers.submissions.target import Target
from resolvers.submissions.transition import Mail, Outcome, commit, refused, writable_target

MAX_TEXT = 200


@dataclass(frozen=True)
class SubmitterData:
    name: str
    title: str
    email: str
    phone: str
    phone_ext: str | None = None


@dataclass(frozen=True)
class SubmitSubmission:
    cycle: str
    cds_code: str
    submitter: SubmitterData
    certify: bool
    expected_version: int | None = None


def _bad(field: str, message: str) -> UserErrorData:
    return user_error(ErrorCode.INVALID_INPUT, message, "input", "submitter", field)


def contact_fields(data: SubmitterData) -> tuple[dict[str, Any], list[UserErrorData]]:
    """The submitter's contact as stored, and an error per bad field."""
    errors = []
    values: dict[str, Any] = {}
    for field, column, value in (
        ("name", "submitter_name", data.name),
        ("title", "submitter_title", data.title),
    ):
        text = value.strip()
        if not 1 <= len(text) <= MAX_TEXT:
            errors.append(
                _bad(field, f"The submitter's {field} must be 1 to {MAX_TEXT} characters.")
            )
        values[column] = text
    email = data.email.strip()
    if not is_email(email):
        errors.append(_bad("email", "The submitter's email is not a valid address."))
    values["submitter_email"] = email
    phone = normalize_us_phone(data.phone.strip())
    if phone is None:
        errors.append(_bad("phone", "The submitter's phone must be a US number of 10 digits."))
    values["submitter_phone"] = phone
    ext = (data.phone_ext or "").strip() or None
    if ext is not None and not is_phone_ext(ext):
        errors.append(_bad("phoneExt", "The phone extension must be 1 to 6 digits."))
    values["submitter_phone_ext"] = ext
    return values, errors


def _total_error(row: Submission, sample_size: int) -> UserErrorData | None:
    counts = (row.count_a, row.count_b, row.count_c)
    if any(c is None for c in counts):
        return user_error(ErrorCode.TOTAL_MISMATCH, "Save the three counts before submitting.")
    total = sum(c or 0 for c in counts)
    if total != sample_size:
        return user_error(
            ErrorCode.TOTAL_MISMATCH,
            f"The counts add up to {total}; they must equal the {sample_size} sampled students.",
        )
    return None


def _mails(target: Target) -> Callable[[Submission], Sequence[Mail]]:
    def build(row: Submission) -> Sequence[Mail]:
        counts = workflow_mail.counts(row)
        return (
            Mail(
                MailKind.SUBMISSION_ACKNOWLEDGED,
                workflow_mail.submitter(row),
                workflow_mail.context(
                    target,
                    **counts,
                    certification_text=row.certification_text,
                    certified_at=row.certified_at,
                    submitter_name=row.submitter_name,
                ),
            ),
            Mail(
                MailKind.AWAITING_REVIEW,
                workflow_mail.selpa_contact(target),
                workflow_mail.context(
                    target,
                    **counts,
                    submitted_at=row.submitted_at,
                    submitter_name=row.submitter_name,
                ),
            ),
        )

    return build


async def submit_submission(
    principal: Principal, command: SubmitSubmission, now: datetime
) -> Outcome:
    found = await writable_target(
        principal, command.cycle, command.cds_code, SUBMIT, now, command.expected_version
    )
    if isinstance(found, Outcome):
        return found
    row = found.submission
    assert row is not None
    contact, errors = contact_fields(command.submitter)
    mismatch = _total_error(row, found.sample_size)
    if mismatch is not None:
        errors.insert(0, mismatch)
    if not command.certify:
        errors.append(
            user_error(
                ErrorCode.NOT_CERTIFIED,
                "Confirm the certification statement to submit.",
                "input",
                "certify",
            )
        )
    if errors:
        return refused(found, *errors)
    changes = {
        **contact,
        "certification_text": found.cycle.certification_text,
        "certified_at": now,
        "submitted_at": now,
        "first_submitted_at": row.first_submitted_at or now,
        "review_decision": None,
        "rejection_reason": None,
        "reviewer_role": None,
        "reviewer_scope": None,
        "reviewer_name": None,
        "reviewed_at": None,
    }
    result = await commit(
        found,
        SUBMIT,
        principal=principal,
        now=now,
        changes=changes,
        actor_name=contact["submitter_name"],
        mails=_mails(found),
    )
    if isinstance(result, UserErrorData):
        return refused(found, result)
    return Outcome(result, found.sample_size)
