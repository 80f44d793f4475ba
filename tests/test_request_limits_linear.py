"""Every check on a request is linear in its size, and a body is refused as soon as it passes
the limit (SPEC §6)."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from graphql.language.lexer import Lexer
from starlette.types import Message

from kernel.settings import load_settings
from tests.support.factories import SECRET, FakeClock, World, app_with
from web.graphql_document import INTROSPECTION_TOKENS, Limits, Refused, check_document
from web.request_limits import RequestLimiter


def chained_fragments(count: int, name: str = "F") -> str:
    """Fragment i spreads fragment i-1 twice: a naive walk visits the first 2^count times."""
    parts = [f"fragment {name}0 on Cycle {{ name }}"]
    parts += [
        f"fragment {name}{i} on Cycle {{ ...{name}{i - 1} ...{name}{i - 1} }}"
        for i in range(1, count)
    ]
    return f"query {{ cycles {{ ...{name}{count - 1} }} }} " + " ".join(parts)


@pytest_asyncio.fixture
async def http(clock: FakeClock, world: World) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app_with(clock, IEPIMP_ENV="production"))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


class CallCount:
    """Python function calls made while active: the work done, whatever the machine's speed."""

    def __init__(self) -> None:
        self.calls = 0

    def __enter__(self) -> CallCount:
        sys.setprofile(self._count)
        return self

    def __exit__(self, *_: object) -> None:
        sys.setprofile(None)

    def _count(self, _frame: object, event: str, _arg: object) -> None:
        if event == "call":
            self.calls += 1


def test_chained_fragments_are_checked_in_work_linear_in_their_number() -> None:
    # given 15 and 30 chained fragments (2^14 and 2^29 spreads when followed naively)
    limits = Limits.from_settings(load_settings({"IEPIMP_SECRET_KEY": SECRET}))
    # when each document is checked
    with CallCount() as fifteen:
        check_document.__wrapped__(chained_fragments(15, "Linear"), limits)
    with CallCount() as thirty:
        check_document.__wrapped__(chained_fragments(30, "Linear"), limits)
    # then both pass, and twice the fragments take about twice the work, not 2^15 times it
    assert thirty.calls < 3 * fifteen.calls, (fifteen.calls, thirty.calls)


def test_tokens_are_counted_no_further_than_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    # given the default token limit and room in bytes for a 10,000-token document
    settings = load_settings({"IEPIMP_SECRET_KEY": SECRET, "IEPIMP_MAX_DOCUMENT_BYTES": "100000"})
    limits = Limits.from_settings(settings)
    query = "{ cycles { " + "name " * 9_996 + "} }"
    assert limits.introspection
    lexed = 0
    advance = Lexer.advance

    def counting(self: Lexer) -> object:
        nonlocal lexed
        lexed += 1
        return advance(self)

    monkeypatch.setattr(Lexer, "advance", counting)
    # when it is checked
    with pytest.raises(Refused) as refused:
        check_document(query, limits)
    # then it is refused for its tokens, lexed no further than one past the limit
    assert refused.value.code == "QUERY_LIMIT" and "tokens" in str(refused.value)
    ceiling = max(limits.max_tokens, INTROSPECTION_TOKENS)
    assert lexed <= ceiling + 1, lexed


async def test_chained_fragments_over_http_take_work_linear_in_their_number(
    http: httpx.AsyncClient,
) -> None:
    # when an anonymous client posts 15 and then 30 chained fragments
    with CallCount() as fifteen:
        first = await http.post("/graphql", json={"query": chained_fragments(15, "Http")})
    with CallCount() as thirty:
        second = await http.post("/graphql", json={"query": chained_fragments(30, "Http")})
    # then both are answered, the second with about twice the work, not 2^15 times it
    assert first.status_code == second.status_code == 200, second.text
    assert thirty.calls < 3 * fifteen.calls, (fifteen.calls, thirty.calls)


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
