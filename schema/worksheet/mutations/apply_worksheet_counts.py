"""``applyWorksheetCounts``: save the worksheet's derived counts as the draft."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.worksheet.apply_worksheet_counts import ApplyWorksheetCounts, apply_worksheet_counts
from schema.shared import descriptions as doc
from schema.shared.context import Info
from schema.shared.permissions import Authenticated
from schema.submissions.mutations.payload import SubmissionPayload


@strawberry.input(description="The LEA whose complete worksheet counts become its draft.")
class ApplyWorksheetCountsInput:
    cycle: str = strawberry.field(description=doc.CYCLE)
    cds_code: str = strawberry.field(description=doc.CDS_CODE)
    expected_version: int | None = strawberry.field(
        default=None, description="When given, must equal the submission's current version."
    )


async def resolve_apply_worksheet_counts(
    info: Info,
    input: Annotated[
        ApplyWorksheetCountsInput,
        strawberry.argument(description="The LEA whose worksheet counts to save."),
    ],
) -> SubmissionPayload:
    command = ApplyWorksheetCounts(input.cycle, input.cds_code, input.expected_version)
    principal = info.context.require_principal()
    return SubmissionPayload.of(
        await apply_worksheet_counts(principal, command, info.context.clock())
    )


apply_worksheet_counts_field = strawberry.mutation(
    resolve_apply_worksheet_counts,
    name="applyWorksheetCounts",
    permission_classes=[Authenticated],
    description="Save the complete worksheet's A/B/C counts as the draft, by the saveCounts "
    "rules (refused with INVALID_STATE while any sampled student has no minutes).",
)
