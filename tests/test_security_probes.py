"""The usual GraphQL security audit, played against the production-mode app.

Every probe must be refused, must not reach a resolver, and no answer may carry a stack
trace, SQL or student data.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from starlette.applications import Starlette

from models import RosterStudent
from resolvers.directory import queries as directory_queries
from resolvers.shared import scope
from tests.support.factories import FakeClock, World, app_with

CALLS: list[str] = []


@pytest.fixture
def production_app(clock: FakeClock) -> Starlette:
    return app_with(clock, IEPIMP_ENV="production")


@pytest_asyncio.fixture
async def http(production_app: Starlette, world: World) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=production_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture(autouse=True)
def spy_on_resolvers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    CALLS.clear()
    real = scope.cycles

    def counting(*args: Any) -> Any:
        CALLS.append("cycles")
        return real(*args)

    monkeypatch.setattr(scope, "cycles", counting)
    return CALLS


async def _student_pii() -> list[str]:
    rows = await RosterStudent.all().values_list("ssid", "last_name")
    return [value for row in rows for value in row if len(value) > 6]


def _assert_clean(text: str, pii: list[str]) -> None:
    assert "Traceback" not in text and 'File "' not in text
    assert "SELECT" not in text.upper().replace("SELECTED", "")
    assert "sqlite" not in text.lower() and "asyncpg" not in text.lower()
    for value in pii:
        assert value not in text


def _codes(response: httpx.Response) -> list[str]:
    body = response.json()
    return [e.get("extensions", {}).get("code", "") for e in body.get("errors") or []]


PROBES: dict[str, dict[str, Any]] = {
    "introspection": {"json": {"query": "{ cycles { name } __schema { types { name } } }"}},
    "aliases_101": {
        "json": {"query": "{ " + " ".join(f"a{i}: cycles {{ name }}" for i in range(101)) + " }"}
    },
    "batch_of_10": {"json": [{"query": "{ cycles { name } }"}] * 10},
    "duplicated_fields_500": {"json": {"query": "{ cycles { " + "name " * 500 + "} }"}},
    "repeated_directives_10": {
        "json": {"query": "{ cycles " + "@include(if: true) " * 10 + "{ name } }"}
    },
    "repeated_unknown_directives": {"json": {"query": "{ cycles " + "@aa " * 10 + "{ name } }"}},
    "deep_nesting": {
        "json": {
            "query": '{ cycles { name } lea(cycle: "2024-25", cdsCode: "10000000000001") { '
            + "selpa { leas { edges { node { " * 3
            + "name"
            + " } } } }" * 3
            + " } }"
        }
    },
    "oversized_body": {"json": {"query": "{ cycles { name } }" + " " * 30_000}},
    "oversized_document": {"json": {"query": "{ cycles { name } }" + " " * 25_000}},
    "malformed_json": {
        "content": b'{"query": "{ cycles { name } }"',
        "headers": {"content-type": "application/json"},
    },
    "url_encoded_post": {
        "content": b"query=%7B+cycles+%7B+name+%7D+%7D",
        "headers": {"content-type": "application/x-www-form-urlencoded"},
    },
}
EXPECTED = {
    "introspection": ("INTROSPECTION_DISABLED", 200),
    "aliases_101": ("QUERY_LIMIT", 200),
    "batch_of_10": ("QUERY_LIMIT", 200),
    "duplicated_fields_500": ("QUERY_LIMIT", 200),
    "repeated_directives_10": ("QUERY_LIMIT", 200),
    "repeated_unknown_directives": ("GRAPHQL_VALIDATION_FAILED", 200),
    "deep_nesting": ("QUERY_LIMIT", 200),
    "oversized_body": ("QUERY_LIMIT", 413),
    "oversized_document": ("QUERY_LIMIT", 200),
    "malformed_json": ("BAD_REQUEST", 400),
    "url_encoded_post": ("BAD_REQUEST", 415),
}


@pytest.mark.parametrize("probe", list(PROBES))
async def test_probe_is_refused_before_any_resolver(
    http: httpx.AsyncClient, spy_on_resolvers: list[str], probe: str
) -> None:
    # when the probe is posted
    response = await http.post("/graphql", **PROBES[probe])
    # then it is refused with one error and the expected code, and nothing resolved
    code, status = EXPECTED[probe]
    assert response.status_code == status, response.text
    assert _codes(response) == [code], response.text
    assert response.json().get("data") is None
    assert spy_on_resolvers == []
    _assert_clean(response.text, await _student_pii())


async def test_field_suggestions_are_off(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", json={"query": "{ cycle { nam } cyclez }"})
    assert response.json()["errors"]
    assert "Did you mean" not in response.text


async def test_graphiql_is_not_served(http: httpx.AsyncClient) -> None:
    response = await http.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert "graphiql" not in response.text.lower()


@pytest.mark.parametrize(
    "query",
    ["{ cycles { name } }", 'mutation { login(accessCode: "2222-2222-2222-2222") { token } }'],
)
async def test_get_queries_and_mutations_are_refused(
    http: httpx.AsyncClient, spy_on_resolvers: list[str], query: str
) -> None:
    response = await http.get("/graphql", params={"query": query})
    assert response.status_code in (400, 405)
    assert spy_on_resolvers == []
    assert "token" not in response.text or "errors" in response.text


async def test_unhandled_error_is_masked(
    http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, world: World
) -> None:
    pii = await _student_pii()

    async def explode(*_: Any) -> None:
        raise RuntimeError(f"SELECT * FROM roster_student WHERE ssid = '{pii[0]}'")

    monkeypatch.setattr(directory_queries, "find_cycle", explode)
    response = await http.post("/graphql", json={"query": '{ cycle(name: "2024-25") { name } }'})
    error = response.json()["errors"][0]
    assert error["message"] == "Unexpected error."
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    _assert_clean(response.text, pii)


async def test_a_legitimate_query_still_works(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", json={"query": "{ cycles { name status } }"})
    assert response.status_code == 200
    assert {c["name"] for c in response.json()["data"]["cycles"]} == {"2024-25"}
    json.dumps(response.json())
