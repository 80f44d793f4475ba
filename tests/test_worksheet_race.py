"""Minutes never land on a submission that was submitted while they were being written."""

from __future__ import annotations

import asyncio

import pytest
from tortoise.transactions import in_transaction

from models import Submission
from models.shared.enums import SubmissionStatus
from models.worksheet.rules import MinutesEntry
from resolvers.worksheet.record_minutes import RecordMinutes, record_minutes
from tests.support.factories import BEFORE_DUE, LEA_A1, World
from tests.support.workflow_support import force_state, lea_principal
from tests.support.worksheet_support import CYCLE, minutes_of, sample_ssids


@pytest.mark.postgres_only
async def test_a_submit_that_commits_first_refuses_the_minutes(world: World) -> None:
    # given a draft, and a submit holding the submission's row lock
    ssids = await sample_ssids(world, LEA_A1)
    row = await force_state(world.lea_a1, SubmissionStatus.DRAFT, (20, 0, 0))
    principal = await lea_principal(world, LEA_A1)
    command = RecordMinutes(CYCLE, LEA_A1, [MinutesEntry(ssids[0], 2160, 2000)])
    locked, release = asyncio.Event(), asyncio.Event()

    async def submit_holding_the_lock() -> None:
        async with in_transaction() as tx:
            await Submission.filter(id=row.id).select_for_update().using_db(tx).first()
            locked.set()
            await release.wait()
            await (
                Submission.filter(id=row.id)
                .using_db(tx)
                .update(status=SubmissionStatus.SUBMITTED, version=row.version + 1)
            )

    submitting = asyncio.create_task(submit_holding_the_lock())
    await locked.wait()
    # when minutes are recorded meanwhile
    writing = asyncio.create_task(record_minutes(principal, command, BEFORE_DUE))
    await asyncio.sleep(0.3)
    assert not writing.done()
    release.set()
    await submitting
    outcome = await writing
    # then the minutes are refused as for a submitted submission, and nothing was written
    assert [e.code.value for e in outcome.errors] == ["INVALID_STATE"]
    assert (await minutes_of(world, LEA_A1))[ssids[0]] == (None, None)
