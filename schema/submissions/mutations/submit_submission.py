"""``submitSubmission``: certify and submit the saved counts."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.submissions.submit_submission import (
    SubmitSubmission,
    SubmitterData,
    submit_submission,
)
from schema.shared import descriptions as doc
from schema.shared.context import Info
from schema.shared.permissions import Authenticated
from schema.submissions.mutations.payload import SubmissionPayload


@strawberry.input(description="The contact of the person submitting, kept with the submission.")
class SubmitterInput:
    name: str = strawberry.field(description="The submitter's name, 1 to 200 characters.")
    title: str = strawberry.field(description="The submitter's job title, 1 to 200 characters.")
    email: str = strawberry.field(description="The submitter's email address.")
    phone: str = strawberry.field(description="A US number, e.g. (916) 555-0100.")
    phone_ext: str | None = strawberry.field(
        default=None, description="The phone extension, 1 to 6 digits; optional."
    )


@strawberry.input(
    description="The LEA to submit for, the submitter's contact and the certification."
)
class SubmitSubmissionInput:
    cycle: str = strawberry.field(description=doc.CYCLE)
    cds_code: str = strawberry.field(description=doc.CDS_CODE)
    submitter: SubmitterInput = strawberry.field(description="The person submitting.")
    certify: bool = strawberry.field(description="True: the cycle's certification is accepted.")
    expected_version: int | None = strawberry.field(default=None, description=doc.EXPECTED_VERSION)


async def resolve_submit_submission(
    info: Info,
    input: Annotated[
        SubmitSubmissionInput,
        strawberry.argument(description="The LEA, the submitter and the certification."),
    ],
) -> SubmissionPayload:
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
    permission_classes=[Authenticated],
    description="Submit the saved counts with the submitter's contact and the certification: "
    "the LEA or its SELPA.",
)
