"""``saveCounts``: keep the three counts as a draft."""

from __future__ import annotations

import strawberry

from resolvers.submissions.save_counts import SaveCounts, save_counts
from schema.shared.context import Info
from schema.shared.permissions import EntersCounts
from schema.submissions.mutations.payload import SubmissionPayload


@strawberry.input
class SaveCountsInput:
    cycle: str
    cds_code: str
    count_a: int
    count_b: int
    count_c: int
    expected_version: int | None = strawberry.field(
        default=None, description="When given, must equal the submission's current version."
    )


async def resolve_save_counts(info: Info, input: SaveCountsInput) -> SubmissionPayload:
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
    permission_classes=[EntersCounts],
    description="Save the counts (0 to the sample size each) as a draft: LEA or its SELPA.",
)
