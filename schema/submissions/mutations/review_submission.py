"""``reviewSubmission``: the SELPA approves or rejects."""

from __future__ import annotations

import strawberry

from models.shared.enums import ReviewDecision
from resolvers.submissions.review_submission import ReviewSubmission, review_submission
from schema.shared.context import Info
from schema.shared.permissions import ReviewsSubmissions
from schema.submissions.mutations.payload import SubmissionPayload


@strawberry.input
class ReviewSubmissionInput:
    cycle: str
    cds_code: str
    decision: ReviewDecision
    reason: str | None = strawberry.field(
        default=None, description="Required to reject (1 to 2,000 characters)."
    )
    reviewer_name: str | None = strawberry.field(
        default=None, description="Recorded in the submission's history."
    )
    expected_version: int | None = None


async def resolve_review_submission(info: Info, input: ReviewSubmissionInput) -> SubmissionPayload:
    command = ReviewSubmission(
        cycle=input.cycle,
        cds_code=input.cds_code,
        decision=input.decision,
        reason=input.reason,
        reviewer_name=input.reviewer_name,
        expected_version=input.expected_version,
    )
    principal = info.context.require_principal()
    return SubmissionPayload.of(await review_submission(principal, command, info.context.clock()))


review_submission_field = strawberry.mutation(
    resolve_review_submission,
    name="reviewSubmission",
    permission_classes=[ReviewsSubmissions],
    description="Approve, or reject with a reason, a submitted submission: the LEA's SELPA.",
)
