"""Every check on a request is linear in its size, and a body is refused as soon as it passes
the limit (SPEC §6)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from starlette.types import Message

from kernel.settings import load_settings
from tests.support.factories import SECRET, FakeClock, World, app_with
from web.graphql_document import Limits, Refused, check_document
from web.request_limits import RequestLimiter


def chained_fragments(count: int) -> str:
    """Fragment i spreads fragment i-1 twice: a naive walk visits the first 2^count times."""
    parts = ["fragment F0 on Cycle { name }"]
    parts += [f"fragment F{i} on Cycle {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, count)]
    return "query { cycles { ...F%d } } " % (count - 1) + " ".join(parts)


@pytest_asyncio.fixture
async def http(clock: FakeClock, world: World) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app_with(clock, IEPIMP_ENV="production"))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def test_thirty_chained_fragments_are_checked_far_under_50_ms() -> None:
    # given 30 chained fragments (2^29 spreads when followed naively) and the default limits
    limits = Limits.from_settings(load_settings({"IEPIMP_SECRET_KEY": SECRET}))
    query = chained_fragments(30)
    # when the document is checked
    started = time.perf_counter()
    check_document(query, limits)
    elapsed = time.perf_counter() - started
    # then it passed, in a time that does not grow with the number of paths
    assert elapsed < 0.05, elapsed


def test_ten_thousand_tokens_are_refused_far_under_50_ms() -> None:
    # given the default token limit and room in bytes for a 10,000-token document
    settings = load_settings({"IEPIMP_SECRET_KEY": SECRET, "IEPIMP_MAX_DOCUMENT_BYTES": "100000"})
    limits = Limits.from_settings(settings)
    query = "{ cycles { " + "name " * 9_996 + "} }"
    # when it is checked
    started = time.perf_counter()
    with pytest.raises(Refused) as refused:
        check_document(query, limits)
    elapsed = time.perf_counter() - started
    # then it is refused for its tokens, counted no further than the limit
    assert refused.value.code == "QUERY_LIMIT" and "tokens" in str(refused.value)
    assert elapsed < 0.05, elapsed


async def test_chained_fragments_over_http_answer_quickly(http: httpx.AsyncClient) -> None:
    # when an anonymous client posts the 30 chained fragments
    started = time.perf_counter()
    response = await http.post("/graphql", json={"query": chained_fragments(30)})
    # then the answer comes back in far less than a second, not after hours
    assert time.perf_counter() - started < 1.0
    assert response.status_code == 200, response.text


async def test_a_body_past_the_limit_is_refused_before_the_rest_is_read() -> None:
    # given the limiter in front of an app that must never be reached
    settings = load_settings({"IEPIMP_SECRET_KEY": SECRET})
    reached: list[str] = []

    async def never(scope: object, receive: object, send: object) -> None:
        reached.append("app")

    limiter = RequestLimiter(never, Limits.from_settings(settings))
    limit = settings.max_document_bytes + 10_000
    chunk = b" " * 4096
    handed_out = 0
    total_chunks = 100_000  # 400 MiB if it were all read

    async def receive() -> Message:
        nonlocal handed_out
        handed_out += 1
        return {"type": "http.request", "body": chunk, "more_body": handed_out < total_chunks}

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/graphql",
        "headers": [(b"content-type", b"application/json")],
        "query_string": b"",
    }
    # when a client streams a huge body without a Content-Length
    await limiter(scope, receive, send)
    # then it got 413 after reading just past the limit, and the view was never called
    assert sent[0]["status"] == 413
    assert handed_out == limit // len(chunk) + 1
    assert reached == []


async def test_a_declared_length_past_the_limit_is_refused_unread(http: httpx.AsyncClient) -> None:
    # when the Content-Length header alone is over the limit
    response = await http.post(
        "/graphql",
        content=b'{"query": "{ cycles { name } }"}' + b" " * 40_000,
        headers={"content-type": "application/json"},
    )
    # then 413 with the limit's code
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "QUERY_LIMIT"
