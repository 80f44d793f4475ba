"""Forwarded addresses, throttling per normalised address and IPv6 /64, GraphiQL's
introspection in development, anonymous multi-operation documents, and who may read
/metrics (SPEC §5, §6)."""

from __future__ import annotations

import logging

import httpx
import pytest
from graphql import get_introspection_query

from models import AuditEvent, LoginAttempt
from tests.support.clients import GraphQLClient
from tests.support.factories import FakeClock, World, app_with

BAD_CODE = "2222-3333-4444-5555"


async def _fail_logins(client: GraphQLClient, times: int) -> list[list[str]]:
    codes = []
    for _ in range(times):
        codes.append((await client.login(BAD_CODE)).codes)
    return codes


async def test_ipv6_clients_are_throttled_per_64(world: World, clock: FakeClock) -> None:
    # given a limit of 3 failures and one client rotating addresses inside its /64
    app = app_with(clock, IEPIMP_LOGIN_FAILURE_LIMIT="3")
    addresses = [f"2001:db8:5:7::{i:x}" for i in range(1, 6)]
    # when each address fails once
    codes = [(await GraphQLClient(app, client_address=a).login(BAD_CODE)).codes for a in addresses]
    # then the fourth is refused: the /64 is one client
    assert codes == [[], [], [], ["RATE_LIMITED"], ["RATE_LIMITED"]]
    # and another /64 is not
    other = GraphQLClient(app, client_address="2001:db8:5:8::1")
    assert (await other.login(BAD_CODE)).codes == []


async def test_one_address_written_two_ways_counts_once(world: World, clock: FakeClock) -> None:
    # given a trusted proxy forwarding one client's address in two spellings
    app = app_with(clock, IEPIMP_LOGIN_FAILURE_LIMIT="2", IEPIMP_TRUSTED_PROXIES="10.0.0.1")
    spellings = ["198.51.100.20", "::ffff:198.51.100.20", "198.51.100.20 "]
    codes = []
    for spelling in spellings:
        client = GraphQLClient(
            app, client_address="10.0.0.1", headers={"x-forwarded-for": spelling}
        )
        codes.append((await client.login(BAD_CODE)).codes)
    # then they are one address: the third attempt is throttled
    assert codes == [[], [], ["RATE_LIMITED"]]
    assert set(await LoginAttempt.all().values_list("client_address", flat=True)) == {
        "198.51.100.20"
    }


@pytest.mark.parametrize(
    "forwarded", ["x" * 100, "198.51.100.1" + "0" * 70, "not-an-address", "1.2.3.4, ::zz::"]
)
async def test_malformed_forwarded_values_are_ignored_and_logged(
    world: World, clock: FakeClock, forwarded: str, caplog: pytest.LogCaptureFixture
) -> None:
    # given a trusted proxy passing on a malformed or over-long forwarded value
    app = app_with(clock, IEPIMP_TRUSTED_PROXIES="10.0.0.0/8")
    client = GraphQLClient(app, client_address="10.9.9.9", headers={"x-forwarded-for": forwarded})
    # when a login fails through it
    with caplog.at_level(logging.WARNING, logger="iepimp.web"):
        result = await client.login(BAD_CODE)
    # then the login answered normally, was counted and audited under the proxy's address
    assert result.codes == [] and result.data["login"]["token"] is None
    assert await LoginAttempt.filter(client_address="10.9.9.9").count() == 1
    assert await AuditEvent.filter(action="login.failure", client_address="10.9.9.9").count() == 1
    assert "malformed X-Forwarded-For" in caplog.text


async def test_graphiql_introspection_passes_the_limits_in_development(
    world: World, clock: FakeClock
) -> None:
    # given GraphiQL's own introspection query, against the default limits in development
    client = GraphQLClient(app_with(clock, IEPIMP_ENV="development"))
    query = get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
    )
    # when it is posted
    result = await client.execute(query)
    # then the schema comes back
    assert result.errors == []
    assert result.data["__schema"]["queryType"]["name"] == "Query"


async def test_introspection_stays_off_in_production(world: World, clock: FakeClock) -> None:
    client = GraphQLClient(app_with(clock, IEPIMP_ENV="production"))
    result = await client.execute(get_introspection_query())
    assert result.codes == ["INTROSPECTION_DISABLED"]


async def test_deep_data_queries_are_still_refused_in_development(
    world: World, clock: FakeClock
) -> None:
    client = GraphQLClient(app_with(clock, IEPIMP_ENV="development"))
    nested = "selpa { leas { edges { node { " * 3 + "name" + " } } } }" * 3
    result = await client.execute(
        '{ lea(cycle: "2024-25", cdsCode: "10000000000001") { %s } }' % nested
    )
    assert result.codes == ["QUERY_LIMIT"]


@pytest.mark.parametrize(
    "document",
    ["{ cycles { name } } { viewer { role } }", "query A { cycles { name } } { viewer { role } }"],
)
async def test_anonymous_operations_must_stand_alone(
    anonymous: GraphQLClient, world: World, document: str
) -> None:
    result = await anonymous.execute(document)
    assert result.codes == ["GRAPHQL_VALIDATION_FAILED"]
    assert result.body.get("data") is None


async def _metrics(app: object, peer: str, token: str | None = None) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, client=(peer, 5000))  # type: ignore[arg-type]
    headers = {"authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        return await client.get("/metrics", headers=headers)


async def test_metrics_only_for_loopback_by_default(db: object, clock: FakeClock) -> None:
    app = app_with(clock)
    assert (await _metrics(app, "127.0.0.1")).status_code == 200
    assert (await _metrics(app, "::1")).status_code == 200
    refused = await _metrics(app, "203.0.113.9")
    assert refused.status_code == 403 and "iepimp_" not in refused.text


async def test_metrics_for_configured_networks_or_the_token(db: object, clock: FakeClock) -> None:
    token = "metrics-token-0123456789abcdef0123456789"
    app = app_with(clock, IEPIMP_METRICS_ALLOWED="192.0.2.0/24", IEPIMP_METRICS_TOKEN=token)
    assert (await _metrics(app, "192.0.2.7")).status_code == 200
    assert (await _metrics(app, "127.0.0.1")).status_code == 403
    assert (await _metrics(app, "203.0.113.9", token)).status_code == 200
    assert (await _metrics(app, "203.0.113.9", token + "x")).status_code == 403
