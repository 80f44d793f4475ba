"""Browser portals on another origin: CORS from IEPIMP_CORS_ORIGINS, off by default."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette

from kernel.settings import SettingsError, load_settings
from tests.support.clients import GraphQLClient
from tests.support.factories import FakeClock, app_with

PORTAL = "https://portal.selpa.example.org"
PREFLIGHT = {
    "origin": PORTAL,
    "access-control-request-method": "POST",
    "access-control-request-headers": "authorization, content-type",
}


async def _options(app: Starlette, headers: dict[str, str]) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        return await client.options("/graphql", headers=headers)


async def test_preflight_from_an_allowed_origin_is_answered(clock: FakeClock) -> None:
    # given a service that allows one portal origin
    app = app_with(clock, IEPIMP_CORS_ORIGINS=f"{PORTAL}, https://other.example.org")
    # when the portal's browser sends the preflight for a GraphQL POST with a token
    response = await _options(app, PREFLIGHT)
    # then it is allowed for that origin, with the token header
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == PORTAL
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "authorization" in response.headers["access-control-allow-headers"].lower()
    # and the real request carries the origin back
    client = GraphQLClient(app, headers={"origin": PORTAL})
    async with client.http() as http:
        answer = await http.post("/graphql", json={"query": "{ __typename }"})
    assert answer.headers["access-control-allow-origin"] == PORTAL


async def test_another_origin_and_the_default_get_no_cors(clock: FakeClock) -> None:
    # given a service allowing one portal, a preflight from an origin not listed is refused
    allowing = app_with(clock, IEPIMP_CORS_ORIGINS=PORTAL)
    refused = await _options(allowing, {**PREFLIGHT, "origin": "https://evil.example.org"})
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
    # and by default no origin is allowed at all
    default = await _options(app_with(clock), PREFLIGHT)
    assert "access-control-allow-origin" not in default.headers
    assert default.status_code == 405


@pytest.mark.parametrize("value", ["portal.example.org", "https://x.org/path", "ftp://x.org", "*"])
def test_cors_origins_must_be_origins(value: str) -> None:
    # when the setting holds something that is not an origin, the service refuses to start
    with pytest.raises(SettingsError, match="IEPIMP_CORS_ORIGINS"):
        load_settings({"IEPIMP_SECRET_KEY": "x" * 40, "IEPIMP_CORS_ORIGINS": value})
