"""The request limiter: refuses over-limit or malformed requests before anything executes.

An ASGI wrapper around the strawberry view. It reads the body in chunks and refuses it (413)
as soon as it passes the limit, insists on ``application/json``, checks the JSON envelope, the
number of batched operations, each document and its variables (``web.graphql_document``), and
the whole request's query cost (``schema.engine.query_cost``: every batched operation counted)
against the budget. A refused request never reaches a resolver. It also labels the view's
JSON answers ``application/graphql-response+json`` when the client asked for that, and marks a
request whose every document is answered from the schema alone (``SCHEMA_ONLY``).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, NamedTuple, Protocol

from graphql import GraphQLSchema
from starlette.datastructures import Headers, QueryParams
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kernel.errors import InvalidInput
from schema.engine.query_cost import OPERATION_COST, REQUEST_COST, over_budget, query_cost
from web.graphql_document import (
    Limits,
    Refused,
    bad_request,
    check_document,
    check_variables,
    schema_only,
)
from web.media_types import GRAPHQL_RESPONSE_JSON, JSON, preferred_media_type

__all__ = ["SCHEMA_ONLY", "Checked", "Limits", "Refused", "RequestLimiter", "check_payload"]

ENVELOPE_BYTES = 10_000
"""Room in a request body beside its query: variables, operation name, extensions."""
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,127}")


class _Disconnected(Exception):
    pass


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large a number")
    return value


def _loads(raw: bytes | str, what: str) -> Any:
    try:
        return json.loads(raw, parse_constant=_reject_constant, parse_float=_finite)
    except (ValueError, RecursionError):
        raise bad_request(f"{what} is not valid JSON.") from None


SCHEMA_ONLY = "schema_only"
"""Request-state key: every document of the request is answered from the schema alone."""


class Checked(NamedTuple):
    """What an accepted request costs, whether the schema alone answers it, and, when it holds
    one operation, that operation's query and name (its cost is then ``cost``); for a POST of
    one operation, the operation as it was sent (``operation``)."""

    cost: int
    schema_only: bool
    only: tuple[str, str | None] | None = None
    operation: dict[str, Any] | None = None


class DirectAnswer(Protocol):
    """Answers one accepted POST operation itself, without the view reading the body again;
    False when it leaves the request to the view (nothing sent)."""

    async def __call__(
        self, scope: Scope, receive: Receive, send: Send, operation: dict[str, Any]
    ) -> bool: ...


def _check_operation(operation: Any, limits: Limits, schema: GraphQLSchema | None) -> Checked:
    """Refuse a malformed operation; otherwise its query cost (0 without a schema)."""
    if not isinstance(operation, dict):
        raise bad_request("A GraphQL request must be a JSON object.")
    query = operation.get("query")
    if not isinstance(query, str):
        raise bad_request("The request's query must be a string.")
    variables = operation.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise bad_request("The request's variables must be a JSON object.")
    name = operation.get("operationName")
    if name is not None and (not isinstance(name, str) or _NAME.fullmatch(name) is None):
        raise bad_request("The request's operationName must be a name.")
    extensions = operation.get("extensions")
    if extensions is not None and not isinstance(extensions, dict):
        raise bad_request("The request's extensions must be a JSON object.")
    document = check_document(query, limits)
    check_variables(variables or {})
    alone = schema_only(document)
    if schema is None:
        return Checked(0, alone, (query, name))
    try:
        return Checked(query_cost(schema, document, name, variables or {}), alone, (query, name))
    except InvalidInput as error:
        field = str((error.extensions or {}).get("field", "first"))
        raise Refused(error.message, code="INVALID_INPUT", field=field) from None


def _within_budget(cost: int, limits: Limits) -> int:
    budget = limits.query_cost_budget
    if cost > budget:
        raise Refused(over_budget(cost, budget), cost=cost, budget=budget)
    return cost


def check_payload(body: bytes, limits: Limits, schema: GraphQLSchema | None = None) -> Checked:
    """Refuse a POST body that must not reach the schema; otherwise the query cost of all its
    operations (0 without a schema), and whether the schema alone answers every one."""
    payload = _loads(body, "The request body")
    operations = payload if isinstance(payload, list) else [payload]
    if isinstance(payload, list) and limits.max_operations <= 1:
        raise Refused("Batched requests are off; send one operation per request.")
    if len(operations) > limits.max_operations:
        raise Refused(
            f"The request holds {len(operations)} operations; at most {limits.max_operations}."
        )
    checked = [_check_operation(op, limits, schema) for op in operations]
    cost = _within_budget(sum(c.cost for c in checked), limits)
    alone = bool(checked) and all(c.schema_only for c in checked)
    if isinstance(payload, dict):
        return Checked(cost, alone, checked[0].only, payload)
    return Checked(cost, alone)


def _check_get(query_string: bytes, limits: Limits, schema: GraphQLSchema | None) -> Checked:
    params = QueryParams(query_string.decode("latin-1"))
    query = params.get("query")
    if query is None:
        return Checked(0, False)
    operation: dict[str, Any] = {"query": query, "operationName": params.get("operationName")}
    for key in ("variables", "extensions"):
        raw = params.get(key)
        if raw:
            operation[key] = _loads(raw, f"The {key} parameter")
    checked = _check_operation(operation, limits, schema)
    return Checked(_within_budget(checked.cost, limits), checked.schema_only, checked.only)


def _check_content_type(headers: Headers) -> None:
    media_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != JSON:
        raise bad_request("Send GraphQL requests as application/json.", status=415)


async def read_body(receive: Receive, headers: Headers, limit: int) -> bytes:
    """The request body, read chunk by chunk; refused (413) as soon as it passes ``limit``."""
    too_large = Refused(f"The request is larger than {limit} bytes.", status=413)
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected
        body.extend(message.get("body", b""))
        if len(body) > limit:
            raise too_large
        if not message.get("more_body", False):
            return bytes(body)


def refusal_response(refused: Refused, media_type: str) -> Response:
    status = refused.status or (400 if media_type == GRAPHQL_RESPONSE_JSON else 200)
    payload: dict[str, Any] = {"errors": [refused.error()]}
    if media_type == JSON:
        payload = {"data": None, **payload}
    return Response(
        json.dumps(payload).encode(),
        status_code=status,
        media_type=media_type,
        headers={"cache-control": "no-store"},
    )


class RequestLimiter:
    """ASGI wrapper applying these checks in front of the GraphQL view; the query cost is
    checked when it is given the ``schema``, and left in the request's state for the view.
    With ``direct``, a POST of one operation is handed to it with the operation already
    parsed (the view's own ``answer_operation``)."""

    def __init__(
        self,
        app: ASGIApp,
        limits: Limits,
        schema: GraphQLSchema | None = None,
        direct: DirectAnswer | None = None,
    ) -> None:
        self.app = app
        self.limits = limits
        self.schema = schema
        self.direct = direct

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "POST"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        media_type = preferred_media_type(headers.get("accept", ""))
        body = b""
        try:
            if scope["method"] == "GET":
                checked = _check_get(scope.get("query_string", b""), self.limits, self.schema)
            else:
                _check_content_type(headers)
                body = await read_body(
                    receive, headers, self.limits.max_document_bytes + ENVELOPE_BYTES
                )
                checked = check_payload(body, self.limits, self.schema)
        except _Disconnected:
            return
        except Refused as refused:
            await refusal_response(refused, media_type)(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        if self.schema is not None:
            state[REQUEST_COST] = checked.cost
            if checked.only is not None:
                state[OPERATION_COST] = (*checked.only, checked.cost)
        state[SCHEMA_ONLY] = checked.schema_only
        replayed = scope["method"] == "GET"

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def labelled(message: Message) -> None:
            if message["type"] == "http.response.start" and media_type == GRAPHQL_RESPONSE_JSON:
                message["headers"] = [
                    (k, GRAPHQL_RESPONSE_JSON.encode() if _is_json_type(k, v) else v)
                    for k, v in message.get("headers", [])
                ]
            await send(message)

        operation = checked.operation
        if (
            self.direct is None
            or operation is None
            or not await self.direct(scope, replay, labelled, operation)
        ):
            await self.app(scope, replay, labelled)


def _is_json_type(key: bytes, value: bytes) -> bool:
    return key.lower() == b"content-type" and value.split(b";")[0].strip() == JSON.encode()
