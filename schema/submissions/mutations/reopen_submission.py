"""``reopenSubmission``: CDE returns a submission to draft."""

from __future__ import annotations

import strawberry

from resolvers.submissions.reopen_submission import ReopenSubmission, reopen_submission
from schema.shared.context import Info
from schema.shared.permissions import AdministersSubmissions
from schema.submissions.mutations.payload import SubmissionPayload


@strawberry.input
class ReopenSubmissionInput:
    cycle: str
    cds_code: str
    reason: str = strawberry.field(description="1 to 2,000 characters.")
    expected_version: int | None = None


async def resolve_reopen_submission(info: Info, input: ReopenSubmissionInput) -> SubmissionPayload:
    command = ReopenSubmission(
        cycle=input.cycle,
        cds_code=input.cds_code,
        reason=input.reason,
        expected_version=input.expected_version,
    )
    principal = info.context.require_principal()
    return SubmissionPayload.of(await reopen_submission(principal, command, info.context.clock()))


reopen_submission_field = strawberry.mutation(
    resolve_reopen_submission,
    name="reopenSubmission",
    permission_classes=[AdministersSubmissions],
    description="Return a SUBMITTED or APPROVED submission to DRAFT, with a reason: CDE_ADMIN.",
)
