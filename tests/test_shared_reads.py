"""Requests that ask the same read at once share one statement, and never take an answer read
before they asked: a write committed before a request asks is in that request's answer."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

import pytest
from starlette.applications import Starlette
from tortoise import connections
from tortoise.transactions import in_transaction

from models import Cycle
from models.shared.enums import CycleStatus
from resolvers.cycles import cycle_reads
from resolvers.shared.shared_reads import SharedReads, shared_read
from schema.cycles.types import COLUMNS
from tests.support.clients import GraphQLClient
from tests.support.factories import World, make_cycle
from tests.support.sqlcount import count_sql

T = TypeVar("T")


class Table:
    """A value a statement reads when it starts; each statement ends when released, the next
    one to end with ``fail`` raising it."""

    def __init__(self) -> None:
        self.value = 1
        self.started: list[int] = []
        self.release = asyncio.Event()
        self.fail: Exception | None = None

    async def asked(self, reads: SharedReads, key: str = "k") -> asyncio.Future[int]:
        """A request for this table's read under ``key``, once it has asked."""
        request = asyncio.ensure_future(reads.read(key, self.statement))
        await settle()
        return request

    async def statement(self) -> int:
        seen = self.value
        self.started.append(seen)
        await self.release.wait()
        if self.fail is not None:
            error, self.fail = self.fail, None
            raise error
        return seen


async def within(waited: Awaitable[T]) -> T:
    """``waited``, failing the test rather than hanging it should no statement come."""
    async with asyncio.timeout(5):
        return await waited


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_a_lone_read_runs_its_own_statement_in_its_own_task() -> None:
    # given no read in flight
    reads, table = SharedReads(), Table()
    table.release.set()
    tasks: list[asyncio.Task[object] | None] = []

    async def statement() -> int:
        tasks.append(asyncio.current_task())
        return await table.statement()

    # when one read is asked
    answer = await reads.read("k", statement)
    # then one statement answered it, run by the caller itself
    assert (answer, table.started) == (1, [1])
    assert tasks == [asyncio.current_task()]


async def test_reads_asked_during_a_statement_share_the_next_one() -> None:
    # given a statement in flight
    reads, table = SharedReads(), Table()
    first = await table.asked(reads)
    # when five more requests ask while it runs, and it then ends
    later = [asyncio.ensure_future(reads.read("k", table.statement)) for _ in range(5)]
    await settle()
    table.release.set()
    answers = await within(asyncio.gather(first, *later))
    # then the five shared one statement, started after the first ended
    assert answers == [1] * 6
    assert table.started == [1, 1]


async def test_a_write_before_asking_is_in_the_answer() -> None:
    # given a statement in flight that read the old value
    reads, table = SharedReads(), Table()
    first = await table.asked(reads)
    # when a write commits and then a request asks
    table.value = 2
    second = await table.asked(reads)
    table.release.set()
    # then the earlier request gets the old value and the later one the new
    assert await within(asyncio.gather(first, second)) == [1, 2]


async def test_different_keys_never_share() -> None:
    # given a statement in flight for one key
    reads, table = SharedReads(), Table()
    one = await table.asked(reads, "cycle A")
    # when another key is asked while it runs
    other = await table.asked(reads, "cycle B")
    # then it runs its own statement at once, without waiting for the first
    assert len(table.started) == 2
    table.release.set()
    await within(asyncio.gather(one, other))


async def test_a_failed_statement_fails_its_requests_only() -> None:
    # given a statement that will fail, and requests waiting for the next one
    reads, table = SharedReads(), Table()
    table.fail = RuntimeError("connection lost")
    first = await table.asked(reads)
    later = await table.asked(reads)
    # when the first ends with the error
    table.release.set()
    with pytest.raises(RuntimeError, match="connection lost"):
        await first
    # then the requests of the next statement get its answer
    assert await within(later) == 1
    assert table.started == [1, 1]


async def test_a_cancelled_request_leaves_the_statement_to_the_others() -> None:
    # given two requests sharing the next statement
    reads, table = SharedReads(), Table()
    first = await table.asked(reads)
    leaving = await table.asked(reads)
    staying = await table.asked(reads)
    # when one of them is cancelled (its client went away)
    leaving.cancel()
    table.release.set()
    # then the other still gets the answer
    assert await within(staying) == 1
    assert await first == 1
    assert leaving.cancelled()


async def test_no_statement_starts_for_requests_that_all_went_away() -> None:
    # given a statement in flight, and one request waiting for the next
    reads, table = SharedReads(), Table()
    first = await table.asked(reads)
    gone = await table.asked(reads)
    # when the waiting request goes away before the first statement ends
    gone.cancel()
    await settle()
    table.release.set()
    assert await within(first) == 1
    await settle()
    # then no statement was started for it
    assert table.started == [1]


async def test_the_next_statement_runs_when_the_first_request_is_cancelled() -> None:
    # given a request running its own statement, and another waiting for the next one
    reads, table = SharedReads(), Table()
    first = await table.asked(reads)
    waiting = await table.asked(reads)
    # when the first request is cancelled while its statement runs
    first.cancel()
    await settle()
    table.release.set()
    # then the waiting request still gets an answer, from a statement of its own
    assert await within(waiting) == 1
    assert first.cancelled()
    assert table.started == [1, 1]


async def test_concurrent_cycle_lists_share_statements_and_agree(
    world: World, app: Starlette
) -> None:
    # given twenty anonymous callers
    client = GraphQLClient(app)
    expected = await client.execute("{ cycles { name status } }")
    # when they list the cycles at once
    with count_sql() as sent:
        answers = await asyncio.gather(
            *(client.execute("{ cycles { name status } }") for _ in range(20))
        )
    # then every answer is the same and fewer than twenty statements read the cycles
    assert [answer.body for answer in answers] == [expected.body] * 20
    assert 1 <= sum('FROM "cycle"' in statement for statement in sent) < 20


async def test_a_status_change_is_seen_by_the_next_request(world: World) -> None:
    # given a statement that has read the cycle as a draft and not yet answered
    await make_cycle("2025-26", status=CycleStatus.DRAFT)
    db = connections.get("default")
    sql = 'SELECT "status" FROM "cycle" WHERE "name" = \'2025-26\''
    have_read, gate = asyncio.Event(), asyncio.Event()

    async def status() -> str:
        rows = await db.execute_query_dict(sql)
        have_read.set()
        await gate.wait()
        return str(rows[0]["status"])

    earlier = asyncio.ensure_future(shared_read(db, sql, status))
    await have_read.wait()
    # when the cycle opens, and only then the next request asks
    await Cycle.filter(name="2025-26").update(status=CycleStatus.OPEN)
    later = asyncio.ensure_future(shared_read(db, sql, status))
    await settle()
    gate.set()
    # then the earlier request has the draft and the next one sees it open
    assert await within(asyncio.gather(earlier, later)) == ["DRAFT", "OPEN"]


async def test_a_read_in_a_transaction_sees_its_own_write(world: World) -> None:
    # given a transaction that opened a cycle it has not committed
    await make_cycle("2025-26", status=CycleStatus.DRAFT)
    async with in_transaction():
        await Cycle.filter(name="2025-26").update(status=CycleStatus.OPEN)
        # when it reads the cycles, the list and the one by name
        inside = await cycle_reads.visible_cycles(None, COLUMNS)
        named = await cycle_reads.cycle_named(None, "2025-26")
        # then it reads its own write
        assert {"name": "2025-26", "status": CycleStatus.OPEN} in [
            {"name": row["name"], "status": row["status"]} for row in inside
        ]
        assert named is not None and named.status == CycleStatus.OPEN


async def test_reads_in_a_transaction_are_never_shared(world: World) -> None:
    # given a transaction with a read in flight
    table = Table()
    async with in_transaction() as db:
        first = asyncio.ensure_future(shared_read(db, "k", table.statement))
        await settle()
        # when the same read is asked again in it
        second = asyncio.ensure_future(shared_read(db, "k", table.statement))
        await settle()
        # then it ran its own statement at once, without waiting for the first
        assert table.started == [1, 1]
        table.release.set()
        assert await asyncio.gather(first, second) == [1, 1]


async def test_each_caller_gets_its_own_values(world: World) -> None:
    # given three callers that read at once, the last two answered by one statement
    await make_cycle("2025-26", status=CycleStatus.OPEN)
    with count_sql() as sent:
        _, second, third = await asyncio.gather(
            *(cycle_reads.visible_cycles(None, COLUMNS) for _ in range(3))
        )
        models = await asyncio.gather(*(cycle_reads.cycle_named(None, "2025-26") for _ in range(3)))
    assert len(sent) == 4
    # when one changes what it got, down to a list inside a value
    second[0]["sample_bands"].clear()
    second[0]["reminder_days"].append(99)
    changed, other = models[1], models[2]
    assert changed is not None and other is not None
    changed.sample_bands.clear()
    # then the answers of the others are untouched
    assert third[0]["sample_bands"] and 99 not in third[0]["reminder_days"]
    assert other.sample_bands
