"""Bearer authentication: one statement per request, and nothing remembered between requests."""

from __future__ import annotations

from datetime import timedelta

from starlette.applications import Starlette

from kernel.settings import Settings
from models import AccessCode, Session
from models.shared.enums import Role
from resolvers.access.authenticate import authenticate
from resolvers.shared.principal import Principal
from tests.support.clients import GraphQLClient
from tests.support.factories import LEA_A1, SELPA_A, FakeClock, World
from tests.support.orm_objects import models_built
from tests.support.sqlcount import count_sql

VIEWER = f'{{ viewer {{ role }} lea(cycle: "2024-25", cdsCode: "{LEA_A1}") {{ name }} }}'


async def _signed_in(app: Starlette, code: str) -> GraphQLClient:
    client = GraphQLClient(app)
    await client.login(code)
    assert client.token
    return client


async def test_authentication_is_one_statement(
    world: World, app: Starlette, settings: Settings, clock: FakeClock
) -> None:
    # given a SELPA session used a moment ago
    client = await _signed_in(app, world.codes["SELPA_A"])
    assert client.token is not None
    # when its token is checked within the touch interval
    with count_sql() as statements, models_built() as built:
        principal = await authenticate(
            client.token, settings.secret_key, clock(), settings.session_idle_minutes
        )
    # then one parameterized statement read everything the principal holds, into no model
    assert len(statements) == 1
    assert built == []
    assert isinstance(principal, Principal)
    assert (principal.role, principal.scope_code) == (Role.SELPA, SELPA_A)
    assert principal.cycle_id == world.cycle.id and principal.selpa_id == world.selpa_a.id
    session = await Session.get(id=principal.session_id)
    assert principal.expires_at == session.expires_at
    assert principal.access_code_id == session.access_code_id  # type: ignore[attr-defined]


async def test_last_use_is_touched_once_the_interval_has_passed(
    world: World, app: Starlette, settings: Settings, clock: FakeClock
) -> None:
    # given an LEA session last used 31 seconds ago
    client = await _signed_in(app, world.codes["LEA_A1"])
    assert client.token is not None
    clock.advance(seconds=31)
    # when its token is checked
    with count_sql() as statements:
        principal = await authenticate(
            client.token, settings.secret_key, clock(), settings.session_idle_minutes
        )
    # then the read is followed by the one update of its last use
    assert principal is not None and principal.scope_code == LEA_A1
    assert len(statements) == 2 and statements[1].startswith("UPDATE")
    session = await Session.get(id=principal.session_id)
    assert session.last_used_at == clock()


async def test_a_dead_session_answers_no_further_request(
    world: World, app: Starlette, clock: FakeClock
) -> None:
    # given three sessions that have just answered a request
    revoked = await _signed_in(app, world.codes["LEA_A1"])
    ended = await _signed_in(app, world.codes["SELPA_A"])
    expired = await _signed_in(app, world.codes["CDE_ANALYST"])
    for client in (revoked, ended, expired):
        answer = await client.execute(VIEWER)
        assert answer.errors == [] and answer.data["lea"] is not None
    # when, without the clock moving, one code is revoked, one session ended and one code
    # reaches its expiry
    await AccessCode.filter(role=Role.LEA, lea__cds_code=LEA_A1).update(revoked_at=clock())
    await Session.filter(access_code__role=Role.SELPA).update(ended_at=clock())
    await AccessCode.filter(role=Role.CDE_ANALYST).update(expires_at=clock())
    # then the very next request of each is refused
    for client in (revoked, ended, expired):
        assert (await client.execute(VIEWER)).codes == ["UNAUTHENTICATED"]


async def test_a_session_past_its_idle_limit_is_refused(
    world: World, app: Starlette, settings: Settings, clock: FakeClock
) -> None:
    # given an LEA session
    client = await _signed_in(app, world.codes["LEA_A1"])
    assert client.token is not None
    # when it is left idle exactly as long as the idle limit
    clock.advance(minutes=settings.session_idle_minutes)
    principal = await authenticate(
        client.token, settings.secret_key, clock(), settings.session_idle_minutes
    )
    # then it no longer authenticates, a second earlier it did
    assert principal is None
    earlier = clock() - timedelta(seconds=1)
    assert await authenticate(
        client.token, settings.secret_key, earlier, settings.session_idle_minutes
    )
