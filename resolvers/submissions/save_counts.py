"""``saveCounts``: keep the three category counts as a draft (SPEC §3.5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kernel.errors import ErrorCode, UserErrorData, user_error
from models.submissions.steps import SAVE
from resolvers.shared.principal import Principal
from resolvers.submissions.transition import Outcome, commit, refused, writable_target


@dataclass(frozen=True)
class SaveCounts:
    cycle: str
    cds_code: str
    count_a: int
    count_b: int
    count_c: int
    expected_version: int | None = None


def count_errors(command: SaveCounts, sample_size: int) -> list[UserErrorData]:
    errors = []
    for name, value in (
        ("countA", command.count_a),
        ("countB", command.count_b),
        ("countC", command.count_c),
    ):
        if not 0 <= value <= sample_size:
            errors.append(
                user_error(
                    ErrorCode.INVALID_INPUT,
                    f"{name} must be a whole number from 0 to {sample_size} (the sample size).",
                    "input",
                    name,
                )
            )
    return errors


async def save_counts(principal: Principal, command: SaveCounts, now: datetime) -> Outcome:
    found = await writable_target(
        principal, command.cycle, command.cds_code, SAVE, now, command.expected_version
    )
    if isinstance(found, Outcome):
        return found
    errors = count_errors(command, found.sample_size)
    if errors:
        return refused(found, *errors)
    result = await commit(
        found,
        SAVE,
        principal=principal,
        now=now,
        changes={
            "count_a": command.count_a,
            "count_b": command.count_b,
            "count_c": command.count_c,
        },
    )
    if isinstance(result, UserErrorData):
        return refused(found, result)
    return Outcome(result, found.sample_size)
