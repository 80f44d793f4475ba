"""``recordMinutes``: enter or clear worksheet minutes for sampled students, all or nothing."""

from __future__ import annotations

from typing import Annotated

import strawberry

from kernel.errors import ErrorCode, UserErrorData, user_error
from models.worksheet.rules import PRESCRIBED, PROVIDED, SSID, EntryProblem, MinutesEntry
from resolvers.worksheet.record_minutes import (
    ENTRIES,
    MinutesOutcome,
    RecordMinutes,
    record_minutes,
)
from schema.shared import descriptions as doc
from schema.shared.context import Info
from schema.shared.permissions import Authenticated
from schema.shared.user_errors import UserError, user_errors
from schema.worksheet.types import Worksheet

FIELD_NAMES = {SSID: "ssid", PRESCRIBED: "prescribedMinutes", PROVIDED: "providedMinutes"}


@strawberry.input(description="One sampled student's minutes in the service window.")
class MinutesEntryInput:
    ssid: str = strawberry.field(description="The sampled student's 10-digit SSID.")
    prescribed_minutes: int | None = strawberry.field(
        default=None, description="1 to the window's minutes; null with providedMinutes clears."
    )
    provided_minutes: int | None = strawberry.field(
        default=None, description="0 to the window's minutes."
    )


@strawberry.input(
    description="Minutes for some of an LEA's sampled students, recorded all or nothing."
)
class RecordMinutesInput:
    cycle: str = strawberry.field(description=doc.CYCLE)
    cds_code: str = strawberry.field(description=doc.CDS_CODE)
    entries: list[MinutesEntryInput] = strawberry.field(
        description="At most the sample size; each SSID once."
    )


@strawberry.type(
    description="The LEA's worksheet after recordMinutes, or why nothing was recorded."
)
class RecordMinutesPayload:
    worksheet: Worksheet | None = strawberry.field(
        description="The LEA's worksheet (unchanged after a refusal; null when not found)."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why nothing was recorded; a bad entry is named by its path, e.g. "
        '["input", "entries", "0", "ssid"].'
    )


def _user_error(problem: EntryProblem) -> UserErrorData:
    if problem.column == ENTRIES:
        return user_error(ErrorCode.INVALID_INPUT, f"entries: {problem.reason}.", "input", ENTRIES)
    name = FIELD_NAMES[problem.column]
    reason = problem.reason
    if problem.earlier is not None:
        reason = f"{reason} (entry {problem.earlier})"
    return user_error(
        ErrorCode.INVALID_INPUT,
        f"entries[{problem.index}].{name} {reason}.",
        "input",
        ENTRIES,
        str(problem.index),
        name,
    )


def payload(outcome: MinutesOutcome) -> RecordMinutesPayload:
    membership = outcome.membership
    errors = [*outcome.errors, *(_user_error(p) for p in outcome.problems)]
    return RecordMinutesPayload(
        worksheet=Worksheet(cycle_id=membership.cycle_id, lea_id=membership.lea_id)
        if membership
        else None,
        user_errors=user_errors(errors),
    )


async def resolve_record_minutes(
    info: Info,
    input: Annotated[
        RecordMinutesInput,
        strawberry.argument(description="The LEA and the minutes to record."),
    ],
) -> RecordMinutesPayload:
    command = RecordMinutes(
        cycle=input.cycle,
        cds_code=input.cds_code,
        entries=[
            MinutesEntry(entry.ssid, entry.prescribed_minutes, entry.provided_minutes)
            for entry in input.entries
        ],
    )
    principal = info.context.require_principal()
    return payload(await record_minutes(principal, command, info.context.clock()))


record_minutes_field = strawberry.mutation(
    resolve_record_minutes,
    name="recordMinutes",
    permission_classes=[Authenticated],
    description="Record prescribed and provided minutes for sampled students (both null clears "
    "a student's entry): the LEA or its SELPA, while the submission may be saved.",
)
