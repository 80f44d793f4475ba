"""``saveCounts``: keep the three counts as a draft."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.submissions.save_counts import SaveCounts, save_counts
from schema.shared import descriptions as doc
from schema.shared.context import Info
from schema.shared.permissions import Authenticated
from schema.submissions.mutations.payload import SubmissionPayload


@strawberry.input(description="The three category counts to save as an LEA's draft.")
class SaveCountsInput:
    cycle: str = strawberry.field(description=doc.CYCLE)
    cds_code: str = strawberry.field(description=doc.CDS_CODE)
    count_a: int = strawberry.field(description="Students in category A, 0 to the sample size.")
    count_b: int = strawberry.field(description="Students in category B, 0 to the sample size.")
    count_c: int = strawberry.field(description="Students in category C, 0 to the sample size.")
    expected_version: int | None = strawberry.field(
        default=None, description="When given, must equal the submission's current version."
    )


async def resolve_save_counts(
    info: Info,
    input: Annotated[
        SaveCountsInput,
        strawberry.argument(description="The LEA and the counts to save."),
    ],
) -> SubmissionPayload:
    command = SaveCounts(
        cycle=input.cycle,
        cds_code=input.cds_code,
        count_a=input.count_a,
        count_b=input.count_b,
        count_c=input.count_c,
        expected_version=input.expected_version,
    )
    principal = info.context.require_principal()
    return SubmissionPayload.of(await save_counts(principal, command, info.context.clock()))


save_counts_field = strawberry.mutation(
    resolve_save_counts,
    name="saveCounts",
    permission_classes=[Authenticated],
    description="Save the counts (0 to the sample size each) as a draft: LEA or its SELPA.",
)
