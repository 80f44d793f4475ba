"""Report answers are reused while, and only while, the data behind them is unchanged."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import httpx
import orjson
import pytest
from starlette.applications import Starlette
from tortoise import connections
from tortoise.transactions import in_transaction

from models import Cycle, Lea, LeaCycle, PublishedReport, Selpa, Submission
from models.reports.epoch import REPORT_TABLES, ReportEpoch
from models.shared.enums import ReportGrouping, Role, SubmissionStatus
from resolvers.reports.aggregate import aggregate, report_sql
from resolvers.reports.epoch import _sqlite_nonce, current_token
from resolvers.shared.principal import Principal
from schema.engine import report_answers as report_cache
from schema.engine.report_answers import ReportAnswers
from tests.support.clients import GraphQLClient
from tests.support.factories import LEA_A1, FakeClock, World, app_with

REPORTS = """
query {
  bySelpa: report(cycle: "2024-25", groupBy: SELPA) {
    key label students { countA total } leaCounts { approved } responseRate { percent }
  }
  byLea: report(cycle: "2024-25", groupBy: LEA) { key label selpaCode }
}
"""
PUBLIC = 'query { publicReport(cycle: "2024-25", groupBy: STATE) { key total { value } } }'


async def answers(app: Starlette) -> dict[str, float]:
    """The store's hit and miss counts, as /metrics shows them."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        text = (await http.get("/metrics")).text
    found = re.findall(r'iepimp_report_answers_total\{outcome="(\w+)"\} ([0-9.]+)', text)
    return {"hit": 0.0, "miss": 0.0} | {outcome: float(n) for outcome, n in found}


async def test_a_repeated_report_is_answered_from_the_store(
    app: Starlette, world: World, cde_admin: GraphQLClient
) -> None:
    # given a report read once
    first = await cde_admin.execute(REPORTS)
    # when the same caller reads it again with nothing changed
    second = await cde_admin.execute(REPORTS)
    # then the same answer came from the store
    assert not first.errors and second.data == first.data
    assert await answers(app) == {"hit": 1.0, "miss": 1.0}


async def _approve_a1(world: World) -> None:
    await Submission.filter(cycle_id=world.cycle.id, lea_id=world.lea_a1.lea_id).update(  # type: ignore[attr-defined]
        status=SubmissionStatus.APPROVED, count_a=7, count_b=2, count_c=1
    )


async def _move_a1_to_selpa_b(world: World) -> None:
    await LeaCycle.filter(id=world.lea_a1.id).update(selpa_id=world.selpa_b.id)


async def _rename_selpa_a(world: World) -> None:
    await Selpa.filter(id=world.selpa_a.id).update(name="Renamed SELPA")


async def _rename_lea_a1(world: World) -> None:
    await Lea.filter(id=world.lea_a1.lea_id).update(name="Renamed LEA")  # type: ignore[attr-defined]


async def _rename_cycle(world: World) -> None:
    await Cycle.filter(id=world.cycle.id).update(name="2099-00")


async def _drop_a1(world: World) -> None:
    await Submission.filter(cycle_id=world.cycle.id, lea_id=world.lea_a1.lea_id).delete()  # type: ignore[attr-defined]
    await LeaCycle.filter(id=world.lea_a1.id).delete()


WRITES: dict[str, Callable[[World], Awaitable[None]]] = {
    "submission": _approve_a1,
    "lea_cycle": _move_a1_to_selpa_b,
    "selpa": _rename_selpa_a,
    "lea": _rename_lea_a1,
    "cycle": _rename_cycle,
    "deleted rows": _drop_a1,
}


@pytest.mark.parametrize("write", WRITES)
async def test_any_write_to_a_report_table_retires_stored_answers(
    app: Starlette, world: World, cde_admin: GraphQLClient, write: str
) -> None:
    # given a report read twice (the second time from the store)
    before = await cde_admin.execute(REPORTS)
    assert (await cde_admin.execute(REPORTS)).data == before.data
    # when a row it is computed from changes, outside any resolver
    await WRITES[write](world)
    # then the next read is computed anew and shows the change
    after = await cde_admin.execute(REPORTS)
    assert not after.errors and after.data != before.data
    assert await answers(app) == {"hit": 1.0, "miss": 2.0}


async def test_the_workflow_retires_stored_answers(
    world: World, cde_admin: GraphQLClient, lea_a1: GraphQLClient
) -> None:
    # given a report read while A1 has saved nothing
    query = (
        'query { report(cycle: "2024-25", groupBy: STATE, statuses: [DRAFT]) '
        "{ leaCounts { draft } students { total } } }"
    )
    before = (await cde_admin.execute(query)).data["report"][0]
    # when A1 saves counts through the API
    size = world.lea_a1.sample_size or 0
    saved = await lea_a1.execute(
        "mutation($i: SaveCountsInput!) { saveCounts(input: $i) { userErrors { code } } }",
        i={"cycle": "2024-25", "cdsCode": LEA_A1, "countA": size, "countB": 0, "countC": 0},
    )
    assert saved.data["saveCounts"]["userErrors"] == []
    # then the report counts the draft
    after = (await cde_admin.execute(query)).data["report"][0]
    assert after["leaCounts"]["draft"] == before["leaCounts"]["draft"] + 1
    assert after["students"]["total"] == before["students"]["total"] + size


async def test_publishing_retires_the_stored_public_answer(
    world: World, anonymous: GraphQLClient, cde_admin: GraphQLClient
) -> None:
    # given the public report of an unpublished cycle, read twice
    assert (await anonymous.execute(PUBLIC)).data == {"publicReport": []}
    assert (await anonymous.execute(PUBLIC)).data == {"publicReport": []}
    # when CDE publishes
    published = await cde_admin.execute(
        'mutation { publishResults(cycle: "2024-25") { userErrors { code } } }'
    )
    assert published.data["publishResults"]["userErrors"] == []
    # then the public sees the snapshot
    assert [row["key"] for row in (await anonymous.execute(PUBLIC)).data["publicReport"]] == ["CA"]
    assert await PublishedReport.all().count() == 1


async def test_stored_answers_never_cross_scopes(
    app: Starlette, world: World, selpa_a: GraphQLClient, selpa_b: GraphQLClient
) -> None:
    # given SELPA A's report, read twice
    a = await selpa_a.execute(REPORTS)
    assert (await selpa_a.execute(REPORTS)).data == a.data
    # when SELPA B sends the very same document
    b = await selpa_b.execute(REPORTS)
    # then B gets its own rows, computed for it
    assert {row["key"] for row in a.data["bySelpa"]} == {"1001"}
    assert {row["key"] for row in b.data["bySelpa"]} == {"2002"}
    assert await answers(app) == {"hit": 1.0, "miss": 2.0}


async def test_a_stored_answer_is_not_served_once_the_session_ends(
    world: World, lea_a1: GraphQLClient
) -> None:
    # given an LEA's report in the store
    assert (await lea_a1.execute(REPORTS)).data == (await lea_a1.execute(REPORTS)).data
    # when the LEA signs out and asks again with the old token
    assert (await lea_a1.execute("mutation { logout { ok } }")).data["logout"]["ok"] is True
    again = await lea_a1.execute(REPORTS)
    # then the answer is an authentication error, not the stored report
    assert again.codes == ["UNAUTHENTICATED"]


async def test_errors_and_other_operations_are_never_stored(
    app: Starlette, world: World, cde_admin: GraphQLClient
) -> None:
    # given a report with a malformed cycle, asked twice
    bad = 'query { report(cycle: "24-25", groupBy: STATE) { key } }'
    assert (await cde_admin.execute(bad)).codes == ["INVALID_INPUT"]
    assert (await cde_admin.execute(bad)).codes == ["INVALID_INPUT"]
    # and a query mixing a report with another root field, asked twice
    mixed = 'query { viewer { role } report(cycle: "2024-25", groupBy: STATE) { key } }'
    assert (await cde_admin.execute(mixed)).data == (await cde_admin.execute(mixed)).data
    # then nothing was served from the store, and the mixed query was not even looked up
    assert await answers(app) == {"hit": 0.0, "miss": 2.0}


async def test_the_store_can_be_switched_off(world: World, clock: FakeClock) -> None:
    # given a service started with IEPIMP_REPORT_CACHE_ENTRIES=0
    app = app_with(clock, IEPIMP_ENV="development", IEPIMP_REPORT_CACHE_ENTRIES="0")
    client = GraphQLClient(app)
    await client.login(world.codes["CDE_ADMIN"])
    # when a report is read twice
    assert (await client.execute(REPORTS)).data == (await client.execute(REPORTS)).data
    # then the store was never consulted
    assert await answers(app) == {"hit": 0.0, "miss": 0.0}


def test_report_tables_cover_every_table_the_report_reads() -> None:
    # given the report's SQL for a CDE caller
    cycle = Cycle(id=1, name="2024-25", due_at=datetime(2025, 7, 1, tzinfo=UTC))
    principal = Principal(role=Role.CDE_ADMIN, access_code_id=0)
    sql, _ = report_sql("postgres", principal, cycle, list(ReportGrouping))
    # when the tables it reads are listed
    tables = set(re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', sql))
    # then the epoch watches every one of them
    assert tables and tables <= set(REPORT_TABLES)


# --- the store -------------------------------------------------------------------------------


def test_the_store_keeps_the_most_recent_answers_within_its_bounds() -> None:
    # given a store of 2 entries and 60 bytes (one small answer is 20 bytes)
    store = ReportAnswers(max_entries=2, max_bytes=60)
    key = ("q", "", "{}", ("CDE_ADMIN",))
    other, third = (*key[:3], ("SELPA", 1)), (*key[:3], ("SELPA", 2))
    store.put(key, "t1", {"report": [{"a": 1}]})
    store.put(other, "t1", {"report": [{"a": 2}]})
    assert store.get(key, "t1") == b'{"report":[{"a":1}]}'
    # when a third answer arrives, then the least recently used one goes
    store.put(third, "t1", {"report": [{"a": 3}]})
    assert store.get(other, "t1") is None and store.get(key, "t1") is not None
    # when the token moved, then the entry is gone
    assert store.get(key, "t2") is None and len(store) == 1
    # when an answer is larger than the whole store, then it is handed back but not kept
    large = {"report": [{"a": i} for i in range(11)]}
    assert store.put(key, "t2", large) == orjson.dumps(large)
    assert store.get(key, "t2") is None
    # when answers exceed the byte bound together, then the oldest go
    store.put(key, "t2", {"report": [{"a": i} for i in range(5)]})
    store.put(other, "t2", {"report": [{"a": i} for i in range(5)]})
    assert store.get(key, "t2") is None and store.bytes == 52


def test_answers_older_than_the_maximum_age_are_not_reused() -> None:
    # given a store whose answers live 300 seconds, on a clock we move
    now = [1000.0]
    store = ReportAnswers(max_entries=4, max_bytes=100, max_age_seconds=300, clock=lambda: now[0])
    key = ("q", "", "{}", ("CDE_ADMIN",))
    store.put(key, "t1", {"report": []})
    # when 300 seconds have passed, then it is still served; one more and it is gone
    now[0] += 300
    assert store.get(key, "t1") == b'{"report":[]}'
    now[0] += 1
    assert store.get(key, "t1") is None and len(store) == 0


def test_a_reopened_sqlite_connection_never_repeats_a_token() -> None:
    # given two driver connections behind a client, one after the other
    class Driver:
        pass

    class Client:
        _connection: Driver | None = None

    client = Client()
    client._connection = first = Driver()
    a, again = _sqlite_nonce(client), _sqlite_nonce(client)  # type: ignore[arg-type]
    client._connection = Driver()
    b = _sqlite_nonce(client)  # type: ignore[arg-type]
    client._connection = None
    # then each connection has its own name, kept while it lives; none has a fresh one each time
    assert a == again and a != b
    assert _sqlite_nonce(client) != _sqlite_nonce(client)  # type: ignore[arg-type]
    assert first is not None


async def test_an_unreadable_token_means_no_store_not_a_failure(
    app: Starlette, world: World, cde_admin: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the epoch cannot be read: no session brings it (its row is gone) and reading it fails
    async def broken() -> str | None:
        raise ConnectionError("epoch unavailable")

    await ReportEpoch.all().delete()
    monkeypatch.setattr(report_cache, "current_token", broken)
    # when a report is read twice, then both answers are computed and correct
    first, second = await cde_admin.execute(REPORTS), await cde_admin.execute(REPORTS)
    assert not first.errors and second.data == first.data
    assert await answers(app) == {"hit": 0.0, "miss": 0.0}


# --- the epoch on PostgreSQL -------------------------------------------------------------------


@pytest.mark.postgres_only
async def test_the_token_moves_when_a_writer_commits_and_not_before(world: World) -> None:
    # given a writer that changes a submission and then waits before committing
    written, checked = asyncio.Event(), asyncio.Event()

    async def writer(fail: bool) -> None:
        async with in_transaction() as tx:
            await Submission.filter(cycle_id=world.cycle.id).using_db(tx).update(count_a=3)
            written.set()
            await checked.wait()
            if fail:
                raise RuntimeError("rolled back")

    before = await current_token()
    assert before is not None
    task = asyncio.create_task(writer(fail=False))
    await written.wait()
    # when another connection reads the token mid-transaction, then it has not moved
    assert await current_token() == before
    checked.set()
    await task
    # when the writer has committed, then it has
    committed = await current_token()
    assert committed not in (None, before)
    # when a writer rolls back, then the token stays
    written.clear()
    checked.clear()
    failing = asyncio.create_task(writer(fail=True))
    await written.wait()
    checked.set()
    with pytest.raises(RuntimeError):
        await failing
    assert await current_token() == committed


@pytest.mark.postgres_only
async def test_truncating_a_report_table_moves_the_token(world: World) -> None:
    # given the current token
    before = await current_token()
    # when a report table is truncated (as an operator might)
    await connections.get("default").execute_script('TRUNCATE "published_report"')
    # then the token has moved
    assert await current_token() not in (None, before)


@pytest.mark.postgres_only
async def test_reads_racing_writes_end_on_the_true_figures(
    world: World, cde_admin: GraphQLClient
) -> None:
    # given readers and committing writers interleaved
    query = (
        'query { report(cycle: "2024-25", groupBy: STATE, '
        "statuses: [NOT_STARTED, DRAFT, SUBMITTED, APPROVED, REJECTED]) { students { countA } } }"
    )

    async def write(value: int) -> None:
        async with in_transaction() as tx:
            await Submission.filter(cycle_id=world.cycle.id).using_db(tx).update(count_a=value)

    for round_ in range(15):
        await asyncio.gather(
            cde_admin.execute(query), write(round_), cde_admin.execute(query), write(round_ + 100)
        )
    # when everything has settled, then the (possibly stored) answer is the truth
    final = (await cde_admin.execute(query)).data["report"][0]["students"]["countA"]
    principal = Principal(role=Role.CDE_ADMIN, access_code_id=0)
    truth = await aggregate(principal, world.cycle, [ReportGrouping.STATE], list(SubmissionStatus))
    assert final == truth[0].count_a
    # and the truth is one of the last round's writes (the two race: either may commit last)
    required = await LeaCycle.filter(cycle_id=world.cycle.id, required=True).count()
    assert final in (14 * required, 114 * required)
