"""``reopenSubmission``: CDE returns a submission to draft."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from resolvers.submissions.reopen_submission import ReopenSubmission, reopen_submission
from schema.shared import descriptions as doc
from schema.shared.context import Info
from schema.shared.permissions import Authenticated
from schema.submissions.mutations.payload import SubmissionPayload


@strawberry.input(description="The submission to return to DRAFT, and why.")
class ReopenSubmissionInput:
    cycle: str = strawberry.field(description=doc.CYCLE)
    cds_code: str = strawberry.field(description=doc.CDS_CODE)
    reason: str = strawberry.field(
        description="Why it is reopened, 1 to 2,000 characters; mailed to the submitter and SELPA."
    )
    expected_version: int | None = strawberry.field(default=None, description=doc.EXPECTED_VERSION)
    due_at: datetime | None = strawberry.field(
        default=None,
        description="The LEA's new due time, with a UTC offset, in the future. Omitted: when "
        "the LEA's due time is past or nearer than the cycle's resubmission grace days, 23:59 "
        "Pacific of the day that many days from now. Recorded as the LEA's extension.",
    )


async def resolve_reopen_submission(
    info: Info,
    input: Annotated[
        ReopenSubmissionInput,
        strawberry.argument(description="The submission to reopen, and why."),
    ],
) -> SubmissionPayload:
    command = ReopenSubmission(
        cycle=input.cycle,
        cds_code=input.cds_code,
        reason=input.reason,
        expected_version=input.expected_version,
        due_at=input.due_at,
    )
    principal = info.context.require_principal()
    return SubmissionPayload.of(await reopen_submission(principal, command, info.context.clock()))


reopen_submission_field = strawberry.mutation(
    resolve_reopen_submission,
    name="reopenSubmission",
    permission_classes=[Authenticated],
    description="Return a SUBMITTED or APPROVED submission to DRAFT, with a reason and a due "
    "time the LEA can meet (recorded as its extension): CDE_ADMIN.",
)
