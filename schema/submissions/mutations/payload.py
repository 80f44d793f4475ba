"""``SubmissionPayload``: the submission as it now stands, and why a change was refused."""

from __future__ import annotations

import strawberry

from resolvers.submissions.transition import Outcome
from schema.shared import descriptions as doc
from schema.shared.user_errors import UserError, user_errors
from schema.submissions.types import Submission


@strawberry.type(
    description="The submission after a workflow mutation, or why the mutation was refused."
)
class SubmissionPayload:
    submission: Submission | None = strawberry.field(
        description="After a refusal: the submission unchanged (null when not found)."
    )
    user_errors: list[UserError] = strawberry.field(description=doc.USER_ERRORS)

    @classmethod
    def of(cls, outcome: Outcome) -> SubmissionPayload:
        row = outcome.submission
        return cls(
            submission=Submission.of_row(row, outcome.sample_size) if row else None,
            user_errors=user_errors(outcome.errors),
        )
