"""``applyWorksheetCounts``: save the worksheet's derived counts as the draft, through
``saveCounts`` (same rules, history and events). Refused while any sampled student has no
minutes: the saved counts stay the LEA's own certified answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kernel.errors import ErrorCode, user_error
from models.submissions.steps import SAVE
from resolvers.shared.principal import Principal
from resolvers.submissions.save_counts import SaveCounts, save_counts
from resolvers.submissions.transition import Outcome, refused, writable_target
from resolvers.worksheet.counts import derived_counts


@dataclass(frozen=True)
class ApplyWorksheetCounts:
    cycle: str
    cds_code: str
    expected_version: int | None = None


async def apply_worksheet_counts(
    principal: Principal, command: ApplyWorksheetCounts, now: datetime
) -> Outcome:
    found = await writable_target(
        principal, command.cycle, command.cds_code, SAVE, now, command.expected_version
    )
    if isinstance(found, Outcome):
        return found
    lea_id: int = found.membership.lea_id
    worksheet = (await derived_counts(found.cycle.id, [lea_id]))[lea_id]
    if not worksheet.complete:
        return refused(
            found,
            user_error(
                ErrorCode.INVALID_STATE,
                f"The worksheet is incomplete: {worksheet.missing} of {worksheet.sampled} "
                "sampled students have no minutes yet.",
            ),
        )
    a, b, c = worksheet.counts
    return await save_counts(
        principal,
        SaveCounts(command.cycle, command.cds_code, a, b, c, command.expected_version),
        now,
    )
