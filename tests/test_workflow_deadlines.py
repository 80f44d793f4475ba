"""Due times (SPEC §3.1, §3.6) with the injected clock: one second either side of the due
minute in both DST offsets, with an extension, and within the grace after a late rejection."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from kernel.errors import ErrorCode
from models import Cycle, OutboxMessage
from models.shared.deadlines import pacific_minute
from models.shared.enums import CycleStatus, ReviewDecision, SubmissionStatus
from resolvers.submissions.grant_extension import GrantExtension, grant_extension
from resolvers.submissions.review_submission import ReviewSubmission, review_submission
from resolvers.submissions.save_counts import SaveCounts, save_counts
from resolvers.submissions.submit_submission import SubmitSubmission, submit_submission
from resolvers.submissions.transition import Outcome
from tests.support.clients import GraphQLClient
from tests.support.factories import LEA_A1, FakeClock, World
from tests.support.workflow_support import (
    CYCLE,
    EXTEND,
    REOPEN,
    SUBMITTER_DATA,
    admin_principal,
    force_state,
    lea_principal,
    selpa_principal,
    snapshot,
)

S = SubmissionStatus
SECOND = timedelta(seconds=1)
PDT_DUE = datetime(2025, 7, 1, 6, 59, tzinfo=UTC)  # 2025-06-30 23:59 PDT (UTC-7)
PST_DUE = datetime(2025, 12, 2, 7, 59, tzinfo=UTC)  # 2025-12-01 23:59 PST (UTC-8)


def codes(outcome: Outcome) -> list[ErrorCode]:
    return [e.code for e in outcome.errors]


async def _save(world: World, now: datetime, counts: tuple[int, int, int] = (15, 3, 2)) -> Outcome:
    command = SaveCounts(CYCLE, LEA_A1, *counts)
    return await save_counts(await lea_principal(world, LEA_A1), command, now)


async def _submit(world: World, now: datetime) -> Outcome:
    command = SubmitSubmission(CYCLE, LEA_A1, SUBMITTER_DATA, certify=True)
    return await submit_submission(await lea_principal(world, LEA_A1), command, now)


async def _review(world: World, decision: ReviewDecision, now: datetime) -> Outcome:
    command = ReviewSubmission(
        CYCLE,
        LEA_A1,
        decision,
        reason="Recheck the counts.",
        reviewer_name="Morgan Reviewer",
        reviewer_title="SELPA Director",
        certify=True,
    )
    return await review_submission(selpa_principal(world), command, now)


@pytest.mark.parametrize(
    ("due_day", "due_instant"), [(date(2025, 6, 30), PDT_DUE), (date(2025, 12, 1), PST_DUE)]
)
async def test_the_due_minute_is_on_time_through_its_last_second(
    world: World, due_day: date, due_instant: datetime
) -> None:
    # given a cycle due at 23:59 Pacific, in daylight or standard time
    due = pacific_minute(due_day)
    assert due == due_instant
    await Cycle.filter(id=world.cycle.id).update(due_at=due)
    # then 23:59:59 is on time for saving and submitting
    last_second = due_instant + 59 * SECOND
    assert codes(await _save(world, last_second)) == []
    assert codes(await _submit(world, last_second)) == []
    # and 00:00:00 is late
    await force_state(world.lea_a1, S.DRAFT, (15, 3, 2))
    before = await snapshot(world.lea_a1)
    late = last_second + SECOND
    assert codes(await _save(world, late)) == [ErrorCode.DEADLINE_PASSED]
    assert codes(await _submit(world, late)) == [ErrorCode.DEADLINE_PASSED]
    assert await snapshot(world.lea_a1) == before


async def test_an_extension_moves_the_due_minute(world: World) -> None:
    # given an extension to 2025-07-15 23:59 PDT, granted after the cycle's due time
    new_due = datetime.fromisoformat("2025-07-15T23:59:00-07:00")
    granted = await grant_extension(
        admin_principal(), GrantExtension(CYCLE, LEA_A1, new_due), PDT_DUE + timedelta(days=2)
    )
    assert codes(granted) == []
    # then the LEA may write through 23:59:59 of the new day, and not a second later
    end = datetime(2025, 7, 16, 6, 59, 59, tzinfo=UTC)
    assert codes(await _save(world, end)) == []
    assert codes(await _save(world, end + SECOND)) == [ErrorCode.DEADLINE_PASSED]
    assert codes(await _submit(world, end)) == []


async def test_after_a_late_rejection_the_lea_has_the_grace(world: World) -> None:
    # given a submission made on time and rejected two days after the due time
    await _save(world, PDT_DUE)
    await _submit(world, PDT_DUE)
    rejected_at = PDT_DUE + timedelta(days=2)
    assert codes(await _review(world, ReviewDecision.REJECT, rejected_at)) == []
    grace_end = rejected_at + timedelta(days=10)
    # then the LEA may save and resubmit until the rejection plus ten days
    assert codes(await _save(world, grace_end - SECOND, (14, 4, 2))) == []
    assert codes(await _submit(world, grace_end)) == []
    outcome = await _review(world, ReviewDecision.REJECT, grace_end + SECOND)
    assert codes(outcome) == []
    # and a rejection gives ten days from itself again
    assert codes(await _save(world, grace_end + timedelta(days=10))) == []


async def test_the_grace_ends(world: World) -> None:
    await _save(world, PDT_DUE)
    await _submit(world, PDT_DUE)
    rejected_at = PDT_DUE + timedelta(days=2)
    await _review(world, ReviewDecision.REJECT, rejected_at)
    before = await snapshot(world.lea_a1)
    assert codes(await _save(world, rejected_at + timedelta(days=10) + SECOND)) == [
        ErrorCode.DEADLINE_PASSED
    ]
    assert await snapshot(world.lea_a1) == before


async def test_a_draft_never_rejected_has_no_grace_and_review_stays_open(world: World) -> None:
    await _save(world, PDT_DUE)
    assert codes(await _save(world, PDT_DUE + timedelta(days=1))) == [ErrorCode.DEADLINE_PASSED]
    await _submit(world, PDT_DUE)
    assert codes(await _review(world, ReviewDecision.APPROVE, PDT_DUE + timedelta(days=60))) == []


@pytest.mark.parametrize("status", [CycleStatus.DRAFT, CycleStatus.CLOSED])
async def test_writes_to_a_cycle_not_open_are_refused_first(
    world: World, status: CycleStatus
) -> None:
    # given a cycle that is not open, and a time past due
    await force_state(world.lea_a1, S.SUBMITTED, (15, 3, 2))
    await Cycle.filter(id=world.cycle.id).update(status=status)
    before = await snapshot(world.lea_a1)
    late = PDT_DUE + timedelta(days=1)
    # then every write answers CYCLE_NOT_OPEN before anything else
    assert codes(await _save(world, late)) == [ErrorCode.CYCLE_NOT_OPEN]
    assert codes(await _submit(world, late)) == [ErrorCode.CYCLE_NOT_OPEN]
    assert codes(await _review(world, ReviewDecision.APPROVE, late)) == [ErrorCode.CYCLE_NOT_OPEN]
    extend = GrantExtension(CYCLE, LEA_A1, PDT_DUE + timedelta(days=9))
    assert codes(await grant_extension(admin_principal(), extend, late)) == [
        ErrorCode.CYCLE_NOT_OPEN
    ]
    assert await snapshot(world.lea_a1) == before


async def test_cde_writes_to_a_closed_cycle_are_refused(
    world: World, cde_admin: GraphQLClient
) -> None:
    await force_state(world.lea_a1, S.APPROVED, (15, 3, 2))
    await Cycle.filter(id=world.cycle.id).update(status=CycleStatus.CLOSED)
    before = await snapshot(world.lea_a1)
    reopen = await cde_admin.execute(
        REOPEN, i={"cycle": CYCLE, "cdsCode": LEA_A1, "reason": "Late correction."}
    )
    assert [e["code"] for e in reopen.data["reopenSubmission"]["userErrors"]] == ["CYCLE_NOT_OPEN"]
    assert await snapshot(world.lea_a1) == before


async def test_the_api_uses_the_injected_clock(
    world: World, clock: FakeClock, lea_a1: GraphQLClient
) -> None:
    clock.now = PDT_DUE + 60 * SECOND
    await lea_a1.login(world.codes["LEA_A1"])
    result = await lea_a1.execute(
        "mutation($i: SaveCountsInput!) { saveCounts(input: $i) { userErrors { code } } }",
        i={"cycle": CYCLE, "cdsCode": LEA_A1, "countA": 1, "countB": 1, "countC": 1},
    )
    assert result.data["saveCounts"]["userErrors"] == [{"code": "DEADLINE_PASSED"}]


async def test_grant_extension_rules_and_notice(
    world: World, clock: FakeClock, cde_admin: GraphQLClient
) -> None:
    # given a submission with a submitter
    await force_state(world.lea_a1, S.SUBMITTED, (15, 3, 2))
    before = await snapshot(world.lea_a1)
    # a due time without an offset, or not later than the current one, is refused
    for due in ("2025-07-15T23:59:00", "2025-06-30T23:59:00-07:00", "2025-06-01T00:00:00Z"):
        result = await cde_admin.execute(
            EXTEND, i={"cycle": CYCLE, "cdsCode": LEA_A1, "dueAt": due}
        )
        assert [(e["code"], e["field"]) for e in result.data["grantExtension"]["userErrors"]] == [
            ("INVALID_INPUT", ["input", "dueAt"])
        ], due
    assert await snapshot(world.lea_a1) == before
    # when CDE extends it
    result = await cde_admin.execute(
        EXTEND, i={"cycle": CYCLE, "cdsCode": LEA_A1, "dueAt": "2025-07-15T23:59:00-07:00"}
    )
    assert result.data["grantExtension"]["userErrors"] == []
    # then the LEA shows its new due time, and the LEA contact and submitter are told
    lea = await cde_admin.execute(
        "query($c: String!, $l: String!) { lea(cycle: $c, cdsCode: $l) { dueAt extended } }",
        c=CYCLE,
        l=LEA_A1,
    )
    assert lea.data["lea"] == {"dueAt": "2025-07-15T23:59:00-07:00", "extended": True}
    rows = await OutboxMessage.all().order_by("recipient").values_list("kind", "recipient")
    assert rows == [
        ("extension_granted", world.lea_a1.contact_email),
        ("extension_granted", "pat.example@lea.example.org"),
    ]
    after = await snapshot(world.lea_a1)
    assert after.version == before.version
    assert after.events == before.events + 1
