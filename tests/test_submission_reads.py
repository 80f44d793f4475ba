"""A page's submissions read as driver records show exactly what the ORM's values show."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models import Submission
from models.shared.enums import SubmissionStatus
from resolvers.submissions.submission_reads import SUBMISSION_COLUMNS, submission_values
from schema.submissions.types import Submission as SubmissionView
from tests.support.factories import World
from tests.support.workflow_support import APPROVER, force_state


@pytest.mark.postgres_only
async def test_records_and_orm_values_show_the_same_submissions(world: World) -> None:
    # given submissions approved, rejected, in draft and not started
    due = world.cycle.due_at
    await force_state(
        world.lea_a1,
        SubmissionStatus.APPROVED,
        (20, 6, 4),
        review_decision="APPROVE",
        reviewer_role="SELPA",
        reviewer_scope="1001",
        reviewer_name=APPROVER["reviewerName"],
        reviewed_at=due - timedelta(days=1),
        submitted_at=due - timedelta(days=2),
        first_submitted_at=due - timedelta(days=3),
        certified_at=due - timedelta(days=2),
        self_reviewed=True,
    )
    await force_state(world.lea_a2, SubmissionStatus.REJECTED, (1, 2, 3), rejection_reason="x")
    await force_state(world.lea_b1, SubmissionStatus.DRAFT, (5, 0, 0))
    pairs = [(m.cycle_id, m.lea_id) for m in (world.lea_a1, world.lea_a2, world.lea_b1)]  # type: ignore[attr-defined]
    pairs.append((world.lea_b2.cycle_id, world.lea_b2.lea_id))  # type: ignore[attr-defined]
    # when they are read as records and through the ORM
    records = await submission_values(pairs)
    orm = {
        (row["cycle_id"], row["lea_id"]): row
        for row in await Submission.filter(cycle_id=world.cycle.id).values(
            "cycle_id", *SUBMISSION_COLUMNS
        )
    }
    # then every submission shows the same, field by field
    assert set(records) == {pair for pair in pairs if pair in orm}
    for pair, record in records.items():
        assert SubmissionView.of(record, 30) == SubmissionView.of(orm[pair], 30)
