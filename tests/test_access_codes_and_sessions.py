"""Access codes, bearer sessions and login throttling (SPEC §5)."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from starlette.applications import Starlette
from tortoise import connections

from models import AccessCode, AuditEvent, Cycle, LoginAttempt, Session
from models.shared.enums import CycleStatus
from resolvers.access.credentials import CODE_ALPHABET, new_access_code, normalize_access_code
from tests.support.clients import GraphQLClient
from tests.support.factories import FakeClock, World, app_with

VIEWER = '{ viewer { role } lea(cycle: "2024-25", cdsCode: "10000000000001") { name } }'


def test_codes_have_enough_entropy_and_no_look_alikes() -> None:
    codes = {new_access_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        symbols = code.replace("-", "")
        assert len(symbols) == 16 and set(symbols) <= set(CODE_ALPHABET)
    assert not set("01OIL") & set(CODE_ALPHABET)
    assert len(CODE_ALPHABET) ** 16 >= 2**60
    assert normalize_access_code(" abcd-efgh-jkmn-pqrs ") == "ABCDEFGHJKMNPQRS"
    assert normalize_access_code("ABCD-EFGH-JKMN-PQR0") is None


async def test_login_gives_a_token_that_expires_and_logout_ends(
    world: World, app: Starlette, clock: FakeClock
) -> None:
    client = GraphQLClient(app)
    result = await client.login(world.codes["SELPA_A"])
    assert result.data["login"]["viewer"]["role"] == "SELPA"
    assert (await client.execute(VIEWER)).data["viewer"] == {"role": "SELPA"}
    # when the client logs out, the token stops working
    out = await client.execute("mutation { logout { ok } }")
    assert out.data["logout"]["ok"] is True
    after = await client.execute(VIEWER)
    assert after.codes == ["UNAUTHENTICATED"]


async def test_idle_timeout_and_absolute_lifetime(
    world: World, app: Starlette, clock: FakeClock
) -> None:
    client = GraphQLClient(app)
    await client.login(world.codes["LEA_A1"])
    # used every 29 minutes, the session lives until its absolute lifetime (8 h)
    for _ in range(16):
        clock.advance(minutes=29)
        assert (await client.execute(VIEWER)).data["viewer"] == {"role": "LEA"}, clock.now
    clock.advance(minutes=29)
    assert (await client.execute(VIEWER)).codes == ["UNAUTHENTICATED"]
    # a fresh session left idle for 30 minutes dies
    idle = GraphQLClient(app)
    await idle.login(world.codes["LEA_A1"])
    clock.advance(minutes=30)
    assert (await idle.execute(VIEWER)).codes == ["UNAUTHENTICATED"]


async def test_token_dies_with_its_code_and_with_its_cycle(world: World, app: Starlette) -> None:
    revoked = GraphQLClient(app)
    await revoked.login(world.codes["LEA_A1"])
    closing = GraphQLClient(app)
    await closing.login(world.codes["SELPA_B"])
    admin = GraphQLClient(app)
    await admin.login(world.codes["CDE_ADMIN"])
    # when the LEA's code is revoked and the cycle is closed
    await AccessCode.filter(role="LEA", lea__cds_code="10000000000001").update(
        revoked_at=world.cycle.due_at
    )
    await Cycle.filter(id=world.cycle.id).update(status=CycleStatus.CLOSED)
    # then both tokens are dead, but the CDE session still works
    assert (await revoked.execute(VIEWER)).codes == ["UNAUTHENTICATED"]
    assert (await closing.execute(VIEWER)).codes == ["UNAUTHENTICATED"]
    assert (await admin.execute(VIEWER)).data["viewer"] == {"role": "CDE_ADMIN"}
    # and the closed cycle's codes cannot sign in again
    again = await GraphQLClient(app).login(world.codes["SELPA_B"])
    assert again.data["login"]["userErrors"][0]["code"] == "INVALID_CREDENTIALS"


async def test_draft_cycle_codes_cannot_sign_in(world: World, app: Starlette) -> None:
    await Cycle.filter(id=world.cycle.id).update(status=CycleStatus.DRAFT)
    result = await GraphQLClient(app).login(world.codes["LEA_A1"])
    assert result.data["login"]["token"] is None
    assert result.data["login"]["userErrors"][0]["code"] == "INVALID_CREDENTIALS"


async def test_malformed_code_names_the_field(world: World, app: Starlette) -> None:
    result = await GraphQLClient(app).login("not a code")
    error = result.data["login"]["userErrors"][0]
    assert (error["code"], error["field"]) == ("INVALID_INPUT", ["accessCode"])


async def _fail(client: GraphQLClient) -> list[str]:
    result = await client.login("2222-2222-2222-2222")
    return result.codes or [e["code"] for e in result.data["login"]["userErrors"]]


async def test_eleventh_failure_is_throttled_per_address(
    world: World, app: Starlette, clock: FakeClock
) -> None:
    attacker = GraphQLClient(app, client_address="203.0.113.7")
    for _ in range(10):
        assert await _fail(attacker) == ["INVALID_CREDENTIALS"]
    # the 11th attempt, even with a good code, is refused
    refused = await attacker.login(world.codes["CDE_ADMIN"])
    assert refused.codes == ["RATE_LIMITED"]
    assert refused.errors[0]["extensions"]["retryAfterSeconds"] > 0
    # another address is unaffected, and its success does not reset the first
    other = GraphQLClient(app, client_address="198.51.100.9")
    assert (await other.login(world.codes["CDE_ADMIN"])).data["login"]["token"]
    assert (await attacker.login(world.codes["CDE_ADMIN"])).codes == ["RATE_LIMITED"]
    # after the window (counted from the latest refused attempt) the address may try again
    clock.advance(minutes=15, seconds=1)
    assert (await attacker.login(world.codes["CDE_ADMIN"])).data["login"]["token"]


async def test_aliased_attempts_each_count(world: World, clock: FakeClock) -> None:
    app = app_with(clock, IEPIMP_MAX_ALIASES="25", IEPIMP_LOGIN_FAILURE_LIMIT="30")
    client = GraphQLClient(app, client_address="192.0.2.44")
    aliases = " ".join(
        f'a{i}: login(accessCode: "2222-2222-2222-{i + 2222}") {{ token }}' for i in range(20)
    )
    # when 20 attempts arrive aliased in one request
    result = await client.execute("mutation { " + aliases + " }")
    # then each one is counted as a failure
    assert [result.data[f"a{i}"]["token"] for i in range(20)] == [None] * 20
    assert await LoginAttempt.filter(client_address="192.0.2.44", success=False).count() == 20
    for _ in range(10):
        assert await _fail(client) == ["INVALID_CREDENTIALS"]
    assert (await client.login(world.codes["CDE_ADMIN"])).codes == ["RATE_LIMITED"]


async def test_aliases_past_the_limit_are_refused_not_run(world: World, clock: FakeClock) -> None:
    app = app_with(clock, IEPIMP_MAX_ALIASES="25")
    client = GraphQLClient(app, client_address="192.0.2.45")
    aliases = " ".join(
        f'a{i}: login(accessCode: "2222-2222-2222-{i + 2222}") {{ token }}' for i in range(20)
    )
    result = await client.execute("mutation { " + aliases + " }")
    # the first ten fail on their code, the eleventh is throttled and nothing after it runs
    assert result.codes == ["RATE_LIMITED"]
    assert await LoginAttempt.filter(client_address="192.0.2.45").count() == 11


async def test_forwarded_address_only_from_trusted_proxies(world: World, clock: FakeClock) -> None:
    app = app_with(clock, IEPIMP_TRUSTED_PROXIES="10.0.0.0/8")
    proxied = GraphQLClient(
        app, client_address="10.1.2.3", headers={"x-forwarded-for": "198.51.100.1"}
    )
    spoofed = GraphQLClient(
        app, client_address="203.0.113.5", headers={"x-forwarded-for": "198.51.100.2"}
    )
    await _fail(proxied)
    await _fail(spoofed)
    addresses = set(await LoginAttempt.all().values_list("client_address", flat=True))
    assert addresses == {"198.51.100.1", "203.0.113.5"}


async def test_codes_and_tokens_never_stored_or_logged_in_clear(
    world: World, app: Starlette, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    tokens = []
    for key in ("CDE_ADMIN", "SELPA_A", "LEA_A1"):
        client = GraphQLClient(app)
        await client.login(world.codes[key])
        assert client.token
        tokens.append(client.token)
        await client.execute(VIEWER)
    await GraphQLClient(app).login(world.codes["LEA_B1"].replace("-", "").lower())
    # dump every table
    conn = connections.get("default")
    dump = []
    for model in (AccessCode, Session, LoginAttempt, AuditEvent):
        _, rows = await conn.execute_query(f"SELECT * FROM {model._meta.db_table}")
        dump.append(repr([dict(r) for r in rows]))
    text = "\n".join(dump) + "\n" + caplog.text
    assert await AuditEvent.filter(action="login.success").count() == 4
    for code in world.codes.values():
        symbols = code.replace("-", "")
        for fragment in {code, symbols, symbols.lower(), *(symbols[i : i + 8] for i in (0, 8))}:
            assert fragment not in text
    for token in tokens:
        assert token not in text and token[:16] not in text


async def test_session_lifetime_setting_is_capped_at_twelve_hours() -> None:
    from kernel.settings import SettingsError, load_settings

    with pytest.raises(SettingsError):
        load_settings({"IEPIMP_SECRET_KEY": "x" * 40, "IEPIMP_SESSION_LIFETIME_MINUTES": "800"})
    assert timedelta(
        minutes=load_settings({"IEPIMP_SECRET_KEY": "x" * 40}).session_lifetime_minutes
    ) == timedelta(hours=8)


async def test_concurrent_failures_cannot_slip_under_the_limit(world: World) -> None:
    import asyncio

    from kernel.errors import RateLimited
    from resolvers.access.login import LoginPolicy, login
    from tests.support.factories import BEFORE_DUE, SECRET

    policy = LoginPolicy(SECRET, 480, failure_limit=10, failure_window_minutes=15)
    # when 30 attempts from one address arrive at once
    outcomes = await asyncio.gather(
        *(login("2222-2222-2222-2222", "192.0.2.99", BEFORE_DUE, policy) for _ in range(30)),
        return_exceptions=True,
    )
    # then exactly ten were checked and twenty refused as throttled
    refused = [o for o in outcomes if isinstance(o, RateLimited)]
    checked = [o for o in outcomes if not isinstance(o, BaseException)]
    assert (len(checked), len(refused)) == (10, 20)
    assert await LoginAttempt.filter(client_address="192.0.2.99").count() == 30
