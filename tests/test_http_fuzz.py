"""Fuzzing at the HTTP level (hypothesis) against the real ASGI app: random bodies, content
types, headers and argument values. Never a 5xx or an internal error, never a stack trace or
SQL text in an answer, never a changed row after a refused request (SPEC §6, §10).

Examples are drawn deterministically; the four tests together run 2,400 of them on SQLite and
600 more on PostgreSQL (where each table snapshot costs more)."""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette

from tests.conftest import is_postgres
from tests.support.clients import GraphQLClient
from tests.support.factories import LEA_A1, FakeClock, World, app_with
from tests.support.snapshot import table_snapshot

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150" if is_postgres() else "600")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
LEAKS = ("Traceback", 'File "', "sqlite3.", "asyncpg", "tortoise.", "INTERNAL_SERVER_ERROR")

TEMPLATES = [
    "mutation($c: String!) { login(accessCode: $c) { token userErrors { field code } } }",
    "query($n: String!) { cycle(name: $n) { name status } }",
    "query($c: String!, $d: String!) { lea(cycle: $c, cdsCode: $d) { name dueAt } }",
    "query($c: String!, $f: Int, $a: String) { leas(cycle: $c, first: $f, after: $a) "
    "{ totalCount edges { cursor node { cdsCode } } } }",
    'query($c: String!, $s: String, $a: String) { lea(cycle: $c, cdsCode: "%s") '
    "{ sampledStudents(search: $s, after: $a) { totalCount } } }" % LEA_A1,
    "query($c: String, $a: String, $x: String) { auditEvents(cycle: $c, action: $a, after: $x) "
    "{ totalCount } }",
    "mutation($i: SaveCountsInput!) { saveCounts(input: $i) { userErrors { field code } } }",
    "mutation($i: SubmitSubmissionInput!) { submitSubmission(input: $i) "
    "{ userErrors { field code } } }",
    "mutation($i: ReviewSubmissionInput!) { reviewSubmission(input: $i) "
    "{ userErrors { field code } } }",
    "mutation($n: String!) { openCycle(name: $n) { userErrors { field code } } }",
    "query($c: String!, $g: ReportGrouping!) { report(cycle: $c, groupBy: $g) { label } }",
]
NAMES = ["c", "n", "d", "f", "a", "s", "x", "i", "g", "cycle", "cdsCode", "countA", "reason"]
CONTENT_TYPES = [
    "application/json",
    "application/json; charset=utf-8",
    "application/jsonx",
    "application/graphql",
    "text/plain",
    "multipart/form-data; boundary=x",
    "application/x-www-form-urlencoded",
    "",
]
ACCEPTS = [
    "application/json",
    "application/graphql-response+json",
    "application/graphql-response+json, application/json;q=0.9",
    "*/*",
    "text/html",
    "",
]

texts = st.text(
    alphabet=st.characters(codec=None, exclude_categories=()), max_size=80
) | st.sampled_from(
    [
        "",
        "2024-25",
        LEA_A1,
        "\x00",
        "\ud800",
        "a\nb",
        "A" * 5000,
        "A" * 300,
        "9" * 150,
        "QUJD",
        "-1",
    ]
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(NAMES) | texts, inner, max_size=4)
    ),
    max_leaves=12,
)


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=True).encode()


@st.composite
def graphql_bodies(draw: st.DrawFn) -> bytes:
    query = draw(st.sampled_from(TEMPLATES) | texts)
    body: dict[str, Any] = {"query": query}
    if draw(st.booleans()):
        body["variables"] = draw(st.dictionaries(st.sampled_from(NAMES), json_values, max_size=4))
    if draw(st.booleans()):
        body["operationName"] = draw(st.none() | texts)
    return _dumps(body)


@st.composite
def headers(draw: st.DrawFn) -> list[tuple[bytes, bytes]]:
    raw = st.binary(max_size=60).filter(lambda b: b"\r" not in b and b"\n" not in b)
    chosen = [(b"accept", draw(st.sampled_from(ACCEPTS)).encode())]
    if draw(st.booleans()):
        token = draw(st.sampled_from([b"Bearer TOKEN", b"Bearer ", b"Basic x"]) | raw)
        chosen.append((b"authorization", token))
    if draw(st.booleans()):
        chosen.append((b"x-forwarded-for", draw(raw)))
    return chosen


class Fuzzer:
    """Posts one request and checks the answer, and the tables after a refusal."""

    def __init__(self, apps: list[Starlette], token: str) -> None:
        self.apps = apps
        self.token = token
        self.tables: dict[str, Any] | None = None

    async def send(
        self,
        which: int,
        method: str,
        content: bytes,
        request_headers: list[tuple[bytes, bytes]],
        params: dict[str, str] | None = None,
    ) -> None:
        if self.tables is None:
            self.tables = await table_snapshot()
        transport = httpx.ASGITransport(app=self.apps[which], client=("192.0.2.10", 4000))
        fixed = [(k, v.replace(b"TOKEN", self.token.encode())) for k, v in request_headers]
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            request = client.build_request(
                method,
                "/graphql",
                content=content or None,
                params=params,
                headers=httpx.Headers(fixed),
            )
            response = await client.send(request)
        assert response.status_code < 500, response.text
        for leak in LEAKS:
            assert leak not in response.text, response.text
        refused = _refused(response)
        after = await table_snapshot()
        if refused:
            assert after == self.tables, response.text
        self.tables = after


def _refused(response: httpx.Response) -> bool:
    if response.status_code >= 400:
        return True
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and bool(body.get("errors")) and body.get("data") is None


@pytest.fixture
async def fuzzer(world: World, clock: FakeClock) -> Fuzzer:
    env = {"IEPIMP_LOGIN_FAILURE_LIMIT": "10000"}
    apps = [app_with(clock, IEPIMP_ENV="production", **env), app_with(clock, **env)]
    client = GraphQLClient(apps[0])
    await client.login(world.codes["LEA_A1"])
    assert client.token
    return Fuzzer(apps, client.token)


Run = Callable[..., Awaitable[None]]


@FUZZ
@given(
    which=st.integers(0, 1),
    content_type=st.sampled_from(CONTENT_TYPES),
    body=st.binary(max_size=200) | graphql_bodies(),
    extra=headers(),
)
async def test_random_bodies_and_content_types(
    fuzzer: Fuzzer, which: int, content_type: str, body: bytes, extra: list[tuple[bytes, bytes]]
) -> None:
    await fuzzer.send(which, "POST", body, [(b"content-type", content_type.encode()), *extra])


@FUZZ
@given(which=st.integers(0, 1), value=json_values, extra=headers())
async def test_random_json_documents(
    fuzzer: Fuzzer, which: int, value: Any, extra: list[tuple[bytes, bytes]]
) -> None:
    await fuzzer.send(
        which, "POST", _dumps(value), [(b"content-type", b"application/json"), *extra]
    )


@FUZZ
@given(which=st.integers(0, 1), body=graphql_bodies(), extra=headers())
async def test_random_arguments_to_real_operations(
    fuzzer: Fuzzer, which: int, body: bytes, extra: list[tuple[bytes, bytes]]
) -> None:
    await fuzzer.send(which, "POST", body, [(b"content-type", b"application/json"), *extra])


@FUZZ
@given(
    which=st.integers(0, 1),
    params=st.dictionaries(
        st.sampled_from(["query", "variables", "operationName", "extensions"]),
        st.sampled_from(TEMPLATES) | texts.map(lambda t: t.encode("utf-8", "replace").decode()),
        max_size=3,
    ),
    extra=headers(),
)
async def test_random_get_requests(
    fuzzer: Fuzzer, which: int, params: dict[str, str], extra: list[tuple[bytes, bytes]]
) -> None:
    await fuzzer.send(which, "GET", b"", extra, params=params)
