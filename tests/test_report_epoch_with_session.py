"""The report epoch token read with the caller's session: a stored report costs no statement of
its own on PostgreSQL, and only a request's first operation takes that token."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette

from tests.conftest import is_postgres
from tests.support.clients import GraphQLClient
from tests.support.factories import FakeClock, World, app_with
from tests.support.sqlcount import count_sql

STATE = 'query { report(cycle: "2024-25", groupBy: STATE) { key extensionsGranted } }'
COUNTY = 'query { report(cycle: "2024-25", groupBy: COUNTY) { key extensionsGranted } }'


async def test_a_stored_report_reads_only_the_session(
    app: Starlette, world: World, cde_admin: GraphQLClient
) -> None:
    # given a report in the store
    first = await cde_admin.execute(STATE)
    assert not first.errors
    # when the same caller asks again
    with count_sql() as statements:
        again = await cde_admin.execute(STATE)
    # then the answer is the stored one, and the session's statement brought the epoch token
    # (SQLite reads its connection's counters apart)
    assert again.data == first.data
    assert 'FROM "session" s' in statements[0]
    assert len(statements) == (1 if is_postgres() else 2)


async def test_in_a_batch_only_the_first_operation_takes_the_sessions_token(
    world: World, clock: FakeClock
) -> None:
    # given a service that takes batches, and two reports of a CDE caller in the store
    app = app_with(clock, IEPIMP_ENV="development", IEPIMP_MAX_OPERATIONS_PER_REQUEST="2")
    client = GraphQLClient(app)
    await client.login(world.codes["CDE_ADMIN"])
    stored = [(await client.execute(query)).data for query in (STATE, COUNTY)]
    # when one request asks for both (operations of a batch may run in any order, and one of
    # them could be a write)
    with count_sql() as statements:
        answer = await client.post([{"query": STATE}, {"query": COUNTY}])
    # then both come from the store, and the second read a token of its own
    batch: Any = answer.body
    assert [item["data"] for item in batch] == stored
    reads = [s for s in statements if "report_epoch" in s or "data_version" in s]
    assert len(reads) == (2 if is_postgres() else 3)
    assert len(statements) == (2 if is_postgres() else 3)
