"""``reviewSubmission``: the SELPA approves or rejects."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.shared.enums import ReviewDecision
from resolvers.submissions.review_submission import ReviewSubmission, review_submission
from schema.shared import descriptions as doc
from schema.shared.context import Info
from schema.shared.permissions import Authenticated
from schema.submissions.mutations.payload import SubmissionPayload


@strawberry.input(description="A SELPA's review of one LEA's submitted submission.")
class ReviewSubmissionInput:
    cycle: str = strawberry.field(description=doc.CYCLE)
    cds_code: str = strawberry.field(description=doc.CDS_CODE)
    decision: ReviewDecision = strawberry.field(description="Approve it, or reject it.")
    reason: str | None = strawberry.field(
        default=None, description="Required to reject (1 to 2,000 characters)."
    )
    reviewer_name: str | None = strawberry.field(
        default=None,
        description="The reviewer's name, required to approve; recorded in the history.",
    )
    reviewer_title: str | None = strawberry.field(
        default=None,
        description="The reviewer's title (up to 200 characters), required to approve.",
    )
    certify: bool = strawberry.field(
        default=False,
        description="Required true to approve: the reviewer certifies the cycle's SELPA "
        "certification statement (Cycle.selpaCertificationText).",
    )
    expected_version: int | None = strawberry.field(default=None, description=doc.EXPECTED_VERSION)


async def resolve_review_submission(
    info: Info,
    input: Annotated[
        ReviewSubmissionInput,
        strawberry.argument(description="The submission, the decision and the reason."),
    ],
) -> SubmissionPayload:
    command = ReviewSubmission(
        cycle=input.cycle,
        cds_code=input.cds_code,
        decision=input.decision,
        reason=input.reason,
        reviewer_name=input.reviewer_name,
        expected_version=input.expected_version,
        reviewer_title=input.reviewer_title,
        certify=input.certify,
    )
    principal = info.context.require_principal()
    return SubmissionPayload.of(await review_submission(principal, command, info.context.clock()))


review_submission_field = strawberry.mutation(
    resolve_review_submission,
    name="reviewSubmission",
    permission_classes=[Authenticated],
    description="Approve (with the reviewer's name and title and certify: true), or reject with "
    "a reason, a submitted submission: the LEA's SELPA.",
)
