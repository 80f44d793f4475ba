"""Submissions as plain values, read in one statement per cycle for any number of LEAs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from models import Submission

SUBMISSION_COLUMNS: tuple[str, ...] = (
    "id",
    "lea_id",
    "status",
    "version",
    "count_a",
    "count_b",
    "count_c",
    "submitter_name",
    "submitter_title",
    "submitter_email",
    "submitter_phone",
    "submitter_phone_ext",
    "certification_text",
    "certified_at",
    "submitted_at",
    "first_submitted_at",
    "review_decision",
    "rejection_reason",
    "reviewer_role",
    "reviewer_scope",
    "reviewer_name",
    "reviewer_title",
    "review_certification_text",
    "self_reviewed",
    "reviewed_at",
)
"""Every column of a submission that its GraphQL type may show."""


async def submission_values(
    cycle_lea: Iterable[tuple[int, int]],
) -> dict[tuple[int, int], dict[str, Any]]:
    """The submissions of these (cycle, LEA) pairs, by pair, in one statement per cycle."""
    by_cycle: dict[int, set[int]] = {}
    for cycle_id, lea_id in cycle_lea:
        by_cycle.setdefault(cycle_id, set()).add(lea_id)
    found: dict[tuple[int, int], dict[str, Any]] = {}
    for cycle_id, lea_ids in by_cycle.items():
        rows = await Submission.filter(cycle_id=cycle_id, lea_id__in=lea_ids).values(
            *SUBMISSION_COLUMNS
        )
        for row in rows:
            found[(cycle_id, row["lea_id"])] = row
    return found


def submission_fields(row: Submission) -> dict[str, Any]:
    """A submission already loaded, as the same plain values ``submission_values`` reads."""
    return {name: getattr(row, name) for name in SUBMISSION_COLUMNS}
