"""Submissions as plain values, read in one statement per cycle for any number of LEAs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

from models import Submission
from resolvers.shared.bulk import is_postgres

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

_BY_CYCLE_AND_LEAS = (
    f"SELECT {', '.join(SUBMISSION_COLUMNS)} FROM submission "  # noqa: S608 - constant names
    "WHERE cycle_id = $1 AND lea_id = ANY($2::int[])"
)


async def submission_values(
    cycle_lea: Iterable[tuple[int, int]],
) -> dict[tuple[int, int], Mapping[str, Any]]:
    """The submissions of these (cycle, LEA) pairs, by pair, in one statement per cycle."""
    by_cycle: dict[int, set[int]] = {}
    for cycle_id, lea_id in cycle_lea:
        by_cycle.setdefault(cycle_id, set()).add(lea_id)
    db = connections.get("default")
    found: dict[tuple[int, int], Mapping[str, Any]] = {}
    for cycle_id, lea_ids in by_cycle.items():
        for row in await _read(db, cycle_id, lea_ids):
            found[(cycle_id, row["lea_id"])] = row
    return found


async def _read(
    db: BaseDBAsyncClient, cycle_id: int, lea_ids: set[int]
) -> Sequence[Mapping[str, Any]]:
    """On PostgreSQL one prepared statement with the LEAs as one array, its records read as
    they are (the driver already gives every column its Python type); elsewhere the ORM,
    which converts what the database stores."""
    if is_postgres(db):
        _, rows = await db.execute_query(_BY_CYCLE_AND_LEAS, [cycle_id, list(lea_ids)])
        return rows
    return await Submission.filter(cycle_id=cycle_id, lea_id__in=lea_ids).values(
        *SUBMISSION_COLUMNS
    )


def submission_fields(row: Submission) -> dict[str, Any]:
    """A submission already loaded, as the same plain values ``submission_values`` reads."""
    return {name: getattr(row, name) for name in SUBMISSION_COLUMNS}
