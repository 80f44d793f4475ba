"""The report epoch token read with the caller's session: a stored report costs no statement of
its own on PostgreSQL, and only a request's first operation takes that token."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette

from kernel.settings import load_settings
from models import LeaCycle
from models.shared.enums import Role
from resolvers.shared.principal import Principal
from schema.build import build_schema
from schema.shared.context import Context
from tests.conftest import is_postgres
from tests.support.clients import GraphQLClient
from tests.support.factories import SECRET, FakeClock, World, app_with
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


async def test_a_token_carried_by_the_context_serves_one_operation_only(
    world: World, clock: FakeClock
) -> None:
    # given the schema with its store, a report stored under a token the context carries
    # (as if read with the session before a write moved the epoch)
    settings = load_settings({"IEPIMP_SECRET_KEY": SECRET})
    schema = build_schema(settings)
    admin = Principal(role=Role.CDE_ADMIN, access_code_id=0)
    context = Context(settings=settings, clock=clock, principal=admin, report_epoch="before")
    stored = await schema.execute(STATE, context_value=context)
    assert not stored.errors and context.report_epoch is None
    # when the report moves on, and the same context runs the report again
    await LeaCycle.filter(id=world.lea_a1.id).update(due_at_extension=world.cycle.due_at)
    again = await schema.execute(STATE, context_value=context)
    # then the second run read the epoch itself: the extension is in its answer
    assert again.data is not None and stored.data is not None
    assert again.data["report"][0]["extensionsGranted"] == (
        stored.data["report"][0]["extensionsGranted"] + 1
    )
