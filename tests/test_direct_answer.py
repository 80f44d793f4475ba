"""A POSTed operation the limiter has parsed is answered by the view directly, exactly as the
view's own ``run`` answers it: status, headers and body, for answers, errors, refusals and
the requests ``run`` must keep (a streamed answer)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from cross_web import HTTPException
from starlette.applications import Starlette

import web.graphql_view
from kernel.settings import load_settings
from schema.build import build_schema
from tests.support.factories import SECRET, FakeClock, World, app_with, left_to_the_view

LOGIN = 'mutation { login(accessCode: "%s") { token userErrors { code } } }'
REQUESTS: list[tuple[dict[str, Any], dict[str, str]]] = [
    ({"query": "{ cycles { name status } }"}, {}),
    ({"query": "{ __typename }"}, {}),
    (
        {
            "query": "query Q($n: String!) { cycle(name: $n) { name } }",
            "variables": {"n": "2024-25"},
        },
        {},
    ),
    ({"query": "query A { __typename } query B { cycles { name } }", "operationName": "B"}, {}),
    ({"query": "query A { __typename } query B { cycles { name } }"}, {}),
    ({"query": "query A { __typename }", "operationName": "Nope"}, {}),
    ({"query": '{ leas(cycle: "2024-25") { totalCount } }'}, {}),
    ({"query": "{ nope }"}, {}),
    ({"query": "{ nope }"}, {"accept": "application/graphql-response+json"}),
    ({"query": "{ cycles { name } }", "extensions": {"client": "x"}}, {}),
    ({"query": '{ cycle(name: "") { name } }'}, {}),
    ({"query": '{ report(cycle: "2024-25", groupBy: STATE) { key } }'}, {}),
    ({"query": "subscription { cycles { name } }"}, {}),
    ({"query": "{ cycles { name } }"}, {"accept": "multipart/mixed;subscriptionSpec=1.0"}),
    ({"query": "{ cycles { name } }"}, {"accept": "text/event-stream"}),
    ({"query": "mutation { logout }"}, {}),
    ({"query": LOGIN % "WRONG-CODE"}, {}),
]
UNSTABLE = {"x-request-id", "date"}


async def _send(app: Starlette, body: dict[str, Any], headers: dict[str, str]) -> tuple[Any, ...]:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.post("/graphql", json=body, headers=headers)
    kept = sorted((k, v) for k, v in response.headers.items() if k not in UNSTABLE)
    return response.status_code, kept, response.content


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether the direct path answered each request it was offered (True) or declined."""
    answered: list[bool] = []
    real = web.graphql_view.GraphQLView.answer_operation

    async def counting(self: Any, *args: Any) -> bool:
        answered.append(await real(self, *args))
        return answered[-1]

    monkeypatch.setattr(web.graphql_view.GraphQLView, "answer_operation", counting)
    return answered


async def test_direct_answers_are_the_views_own(
    world: World, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, counted: list[bool]
) -> None:
    # given the service answering POSTed operations directly, and one whose view answers all
    direct = app_with(clock)
    monkeypatch.setattr(web.graphql_view.GraphQLView, "answer_operation", left_to_the_view)
    generic = app_with(clock)
    cases = [*REQUESTS, ({"query": LOGIN % world.codes["LEA_A1"]}, {})]
    # when each request goes to both
    pairs = [(await _send(direct, *case), await _send(generic, *case)) for case in cases]
    # then both answer alike, to the last header and byte
    for (body, headers), (ours, theirs) in zip(cases, pairs, strict=True):
        if "token" in body["query"] and "WRONG" not in body["query"]:
            assert ours[:2] == theirs[:2] and b'"token":"' in ours[2] and b'"token":"' in theirs[2]
        else:
            assert ours == theirs, (body, headers)
    # and the direct path answered every one (the service offers no streamed answers), with
    # answers, request errors and refusals among them
    assert counted == [True] * len(cases)
    assert {ours[0] for ours, _ in pairs} == {200, 400}


async def _offer(
    view: web.graphql_view.GraphQLView, headers: list[tuple[bytes, bytes]]
) -> tuple[bool, list[Any]]:
    """Whether the direct path answers ``{ __typename }`` sent with ``headers``; what it sent."""
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/graphql", "headers": headers}
    answered = await view.answer_operation(scope, receive, send, {"query": "{ __typename }"})
    return answered, sent


async def test_a_client_taking_a_stream_is_left_to_the_view(clock: FakeClock) -> None:
    # given a view that offers answers streamed as multipart
    settings = load_settings({"IEPIMP_SECRET_KEY": SECRET})
    view = web.graphql_view.GraphQLView(
        build_schema(settings), settings, clock, subscription_protocols=["multipart-subscription"]
    )
    # when a client that takes multipart sends an operation
    answered, sent = await _offer(view, [(b"accept", b"multipart/mixed;subscriptionSpec=1.0")])
    # then the direct path declines it and sends nothing
    assert answered is False
    assert sent == []


async def test_an_http_exception_is_sent_as_the_view_sends_it(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a context hook that refuses the request with an HTTP error, on both paths
    async def refused(self: Any, request: Any, response: Any) -> Any:
        raise HTTPException(403, "Not from here.")

    monkeypatch.setattr(web.graphql_view.GraphQLView, "get_context", refused)
    direct = app_with(clock)
    monkeypatch.setattr(web.graphql_view.GraphQLView, "answer_operation", left_to_the_view)
    generic = app_with(clock)
    # when an operation is sent to both
    case: tuple[dict[str, Any], dict[str, str]] = ({"query": "{ __typename }"}, {})
    ours, theirs = await _send(direct, *case), await _send(generic, *case)
    # then both send the same plain-text refusal
    assert ours == theirs
    assert ours[0] == 403 and ours[2] == b"Not from here."


async def test_the_error_hook_sees_every_answer_with_errors(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch, counted: list[bool]
) -> None:
    # given a record of the errors the view's error hook is shown
    seen: list[list[str]] = []

    def hook(self: Any, errors: list[Any], response: Any) -> None:
        seen.append([error.message for error in errors])

    monkeypatch.setattr(web.graphql_view.GraphQLView, "_handle_errors", hook)
    app = app_with(clock)
    # when an answer with an error and one without are sent directly
    await _send(app, {"query": "{ nope }"}, {})
    await _send(app, {"query": "{ __typename }"}, {})
    # then the hook saw the error, once, and nothing of the clean answer
    assert counted == [True, True]
    assert len(seen) == 1 and "nope" in seen[0][0]


async def test_incremental_delivery_is_left_to_the_view(clock: FakeClock) -> None:
    # given a view whose schema may deliver an answer in increments
    settings = load_settings({"IEPIMP_SECRET_KEY": SECRET})
    schema = build_schema(settings)
    schema.config.enable_experimental_incremental_execution = True
    view = web.graphql_view.GraphQLView(schema, settings, clock)
    # when an operation is offered to the direct path, then it declines and sends nothing
    assert await _offer(view, []) == (False, [])
