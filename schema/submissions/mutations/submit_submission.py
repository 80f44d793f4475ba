"""``submitSubmission``: certify and submit the saved counts."""

from __future__ import annotations

import strawberry

from resolvers.submissions.submit_submission import (
    SubmitSubmission,
    SubmitterData,
    submit_submission,
)
from schema.shared.context import Info
from schema.shared.permissions import EntersCounts
from schema.submissions.mutations.payload import SubmissionPayload


@strawberry.input
class SubmitterInput:
    name: str
    title: str
    email: str
    phone: str = strawberry.field(description="A US number, e.g. (916) 555-0100.")
    phone_ext: str | None = strawberry.field(default=None, description="Digits only, optional.")


@strawberry.input
class SubmitSubmissionInput:
    cycle: str
    cds_code: str
    submitter: SubmitterInput
    certify: bool = strawberry.field(description="True: the cycle's certification is accepted.")
    expected_version: int | None = None


async def resolve_submit_submission(info: Info, input: SubmitSubmissionInput) -> SubmissionPayload:
    person = input.submitter
    command = SubmitSubmission(
        cycle=input.cycle,
        cds_code=input.cds_code,
        submitter=SubmitterData(
            name=person.name,
            title=person.title,
            email=person.email,
            phone=person.phone,
            phone_ext=person.phone_ext,
        ),
        certify=input.certify,
        expected_version=input.expected_version,
    )
    principal = info.context.require_principal()
    return SubmissionPayload.of(await submit_submission(principal, command, info.context.clock()))


submit_submission_field = strawberry.mutation(
    resolve_submit_submission,
    name="submitSubmission",
    permission_classes=[EntersCounts],
    description="Submit the saved counts with the submitter's contact and the certification.",
)
