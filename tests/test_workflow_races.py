"""Concurrent transitions of one submission: exactly one wins, the version moves by one, one
event and one set of mail rows are written, and every loser gets a clear state error."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from kernel.errors import ErrorCode, UserErrorData
from models import Submission
from models.shared.enums import ReviewDecision, SubmissionStatus
from models.submissions.steps import SAVE
from resolvers.shared.principal import Principal
from resolvers.submissions.reopen_submission import ReopenSubmission, reopen_submission
from resolvers.submissions.review_submission import ReviewSubmission, review_submission
from resolvers.submissions.save_counts import SaveCounts, save_counts
from resolvers.submissions.submit_submission import SubmitSubmission, submit_submission
from resolvers.submissions.target import Target, find_submission_target
from resolvers.submissions.transition import Outcome, commit
from tests.support.factories import BEFORE_DUE, LEA_A1, World
from tests.support.workflow_support import (
    CYCLE,
    SUBMITTER_DATA,
    admin_principal,
    force_state,
    lea_principal,
    selpa_principal,
    snapshot,
)

S = SubmissionStatus
ATTEMPTS = 50
TRIALS = 20
LOSING = {ErrorCode.VERSION_CONFLICT, ErrorCode.INVALID_STATE}
Attempt = Callable[[int, int], Awaitable[Outcome]]


async def _race(
    world: World, start: SubmissionStatus, attempt: Attempt, mails: dict[SubmissionStatus, int]
) -> list[SubmissionStatus]:
    """Run TRIALS trials of ATTEMPTS concurrent attempts; return each trial's final status.

    ``mails``: the outbox rows a win queues, by the status it leads to.
    """
    finals = []
    for trial in range(TRIALS):
        row = await force_state(world.lea_a1, start, (15, 3, 2))
        before = await snapshot(world.lea_a1)
        outcomes = await asyncio.gather(*(attempt(i, row.version) for i in range(ATTEMPTS)))
        winners = [o for o in outcomes if not o.errors]
        assert len(winners) == 1, f"trial {trial}: {len(winners)} winners"
        assert all(len(o.errors) == 1 and o.errors[0].code in LOSING for o in outcomes if o.errors)
        after = await snapshot(world.lea_a1)
        assert after.version == before.version + 1
        assert after.events == before.events + 1
        assert after.audits == before.audits + 1
        assert after.outbox == before.outbox + mails[after.status]
        assert winners[0].submission is not None
        assert winners[0].submission.version == after.version
        finals.append(after.status)
    return finals


def _submit(principal: Principal) -> Attempt:
    async def attempt(_: int, version: int) -> Outcome:
        command = SubmitSubmission(
            CYCLE, LEA_A1, SUBMITTER_DATA, certify=True, expected_version=version
        )
        return await submit_submission(principal, command, BEFORE_DUE)

    return attempt


def _review(principal: Principal, decision: ReviewDecision) -> Attempt:
    async def attempt(_: int, version: int) -> Outcome:
        command = ReviewSubmission(
            CYCLE,
            LEA_A1,
            decision,
            reason="Recheck category C.",
            expected_version=version,
            reviewer_name="Morgan Reviewer",
            reviewer_title="SELPA Director",
            certify=True,
        )
        return await review_submission(principal, command, BEFORE_DUE)

    return attempt


async def test_concurrent_submits_have_one_winner(world: World) -> None:
    submit = _submit(await lea_principal(world, LEA_A1))
    finals = await _race(world, S.DRAFT, submit, mails={S.SUBMITTED: 2})
    assert set(finals) == {S.SUBMITTED}


async def test_approve_against_reject_has_one_winner(world: World) -> None:
    approve = _review(selpa_principal(world), ReviewDecision.APPROVE)
    reject = _review(selpa_principal(world), ReviewDecision.REJECT)

    async def attempt(i: int, version: int) -> Outcome:
        return await (approve if i % 2 else reject)(i, version)

    finals = await _race(world, S.SUBMITTED, attempt, mails={S.APPROVED: 1, S.REJECTED: 1})
    assert set(finals) <= {S.APPROVED, S.REJECTED}


async def test_save_against_submit_has_one_winner(world: World) -> None:
    lea = await lea_principal(world, LEA_A1)
    submit = _submit(lea)

    async def attempt(i: int, version: int) -> Outcome:
        if i % 2:
            return await submit(i, version)
        command = SaveCounts(CYCLE, LEA_A1, 14, 4, 2, expected_version=version)
        return await save_counts(lea, command, BEFORE_DUE)

    finals = await _race(world, S.DRAFT, attempt, mails={S.DRAFT: 0, S.SUBMITTED: 2})
    assert set(finals) <= {S.DRAFT, S.SUBMITTED}


async def test_reopen_against_approve_has_one_winner(world: World) -> None:
    approve = _review(selpa_principal(world), ReviewDecision.APPROVE)

    async def attempt(i: int, version: int) -> Outcome:
        if i % 2:
            return await approve(i, version)
        command = ReopenSubmission(CYCLE, LEA_A1, "Correction requested.", expected_version=version)
        return await reopen_submission(admin_principal(), command, BEFORE_DUE)

    finals = await _race(world, S.SUBMITTED, attempt, mails={S.DRAFT: 2, S.APPROVED: 1})
    assert set(finals) <= {S.DRAFT, S.APPROVED}


async def test_a_stale_read_loses_at_the_compare_and_set(world: World) -> None:
    # given two callers who both read the draft at the same version
    await force_state(world.lea_a1, S.DRAFT, (15, 3, 2))
    lea = await lea_principal(world, LEA_A1)
    first = await find_submission_target(lea, CYCLE, LEA_A1, SAVE.permit)
    second = await find_submission_target(lea, CYCLE, LEA_A1, SAVE.permit)
    assert isinstance(first, Target) and isinstance(second, Target)
    # when the first commits
    won = await commit(first, SAVE, principal=lea, now=BEFORE_DUE, changes={"count_a": 1})
    assert isinstance(won, Submission)
    before = await snapshot(world.lea_a1)
    # then the second, though its own checks passed, loses and writes nothing
    lost = await commit(second, SAVE, principal=lea, now=BEFORE_DUE, changes={"count_a": 2})
    assert isinstance(lost, UserErrorData)
    assert lost.code is ErrorCode.VERSION_CONFLICT
    assert await snapshot(world.lea_a1) == before
    assert (await Submission.get(id=won.id)).count_a == 1
