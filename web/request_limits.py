"""The request limiter: refuses over-limit or malformed requests before anything executes.

An ASGI wrapper around the strawberry view. It reads the request body once, checks the
document size, the content type, the number of batched operations, and for each document its
tokens, depth, aliases and directives; a refused request is answered with a top-level
``QUERY_LIMIT`` (or ``BAD_REQUEST``) error and never reaches a resolver.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql import (
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    Node,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
)
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kernel.settings import Settings

BUILT_IN_DIRECTIVES = frozenset({"include", "skip", "deprecated", "specifiedBy", "oneOf"})


@dataclass(frozen=True)
class Limits:
    max_depth: int
    max_aliases: int
    max_tokens: int
    max_document_bytes: int
    max_operations: int
    max_directives: int
    json_only: bool
    introspection: bool = True

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            max_depth=settings.max_query_depth,
            max_aliases=settings.max_aliases,
            max_tokens=settings.max_tokens,
            max_document_bytes=settings.max_document_bytes,
            max_operations=settings.max_operations_per_request,
            max_directives=settings.max_directives,
            json_only=settings.production,
            introspection=settings.introspection,
        )


class Refused(Exception):
    def __init__(self, message: str, code: str = "QUERY_LIMIT", status: int = 200) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


def _selections(node: SelectionSetNode | None) -> Iterable[Node]:
    return node.selections if node is not None else ()


def _depth(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    seen: frozenset[str],
) -> int:
    """Nesting below a selection set (root fields are depth 0), following fragments."""
    deepest = 0
    for node in _selections(selection_set):
        if isinstance(node, FieldNode):
            if node.selection_set is not None:
                deepest = max(deepest, 1 + _depth(node.selection_set, fragments, seen))
        elif isinstance(node, InlineFragmentNode):
            deepest = max(deepest, _depth(node.selection_set, fragments, seen))
        elif isinstance(node, FragmentSpreadNode):
            name = node.name.value
            if name in fragments and name not in seen:
                fragment = fragments[name]
                deepest = max(deepest, _depth(fragment.selection_set, fragments, seen | {name}))
    return deepest


def _walk(node: Any) -> Iterable[Node]:
    """Every AST node below ``node``."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Node):
            yield current
            for key in current.keys:
                value = getattr(current, key, None)
                if isinstance(value, (list, tuple)):
                    stack.extend(value)
                elif isinstance(value, Node):
                    stack.append(value)


@lru_cache(maxsize=512)
def _check_document(query: str, limits: Limits) -> None:
    if len(query.encode("utf-8")) > limits.max_document_bytes:
        raise Refused(f"The query is larger than {limits.max_document_bytes} bytes.")
    try:
        document: DocumentNode = parse(query, max_tokens=limits.max_tokens)
    except GraphQLError as exc:
        if "tokens" in exc.message:
            raise Refused(f"The query has more than {limits.max_tokens} tokens.") from None
        raise Refused(exc.message, code="GRAPHQL_PARSE_FAILED") from None
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    aliases = 0
    directives: list[str] = []
    introspects = False
    for node in _walk(document):
        if isinstance(node, FieldNode):
            aliases += node.alias is not None
            introspects = introspects or node.name.value in ("__schema", "__type")
        elif isinstance(node, DirectiveNode):
            directives.append(node.name.value)
    if introspects and not limits.introspection:
        raise Refused("Introspection is disabled.", code="INTROSPECTION_DISABLED")
    if aliases > limits.max_aliases:
        raise Refused(f"The query uses {aliases} aliases; at most {limits.max_aliases} allowed.")
    unknown = sorted(set(directives) - BUILT_IN_DIRECTIVES)
    if unknown:
        raise Refused(
            "Unknown directive: " + ", ".join(f"@{name}" for name in unknown) + ".",
            code="GRAPHQL_VALIDATION_FAILED",
        )
    if len(directives) > limits.max_directives:
        raise Refused(
            f"The query uses {len(directives)} directives; at most {limits.max_directives}."
        )
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            depth = _depth(definition.selection_set, fragments, frozenset())
            if depth > limits.max_depth:
                raise Refused(f"The query is nested {depth} deep; at most {limits.max_depth}.")


def check_body(method: str, content_type: str, body: bytes, limits: Limits) -> None:
    """Refuse what must not reach the schema; return quietly for everything else."""
    if method != "POST":
        return
    if len(body) > limits.max_document_bytes + 10_000:
        raise Refused(f"The request is larger than {limits.max_document_bytes} bytes.")
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type != "application/json":
        if limits.json_only:
            raise Refused("Send GraphQL requests as application/json.", "BAD_REQUEST", 415)
        return
    try:
        payload = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise Refused("The request body is not valid JSON.", "BAD_REQUEST", 400) from None
    operations = payload if isinstance(payload, list) else [payload]
    if len(operations) > limits.max_operations:
        raise Refused(
            f"The request holds {len(operations)} operations; at most {limits.max_operations}."
        )
    for operation in operations:
        query = operation.get("query") if isinstance(operation, dict) else None
        if isinstance(query, str):
            _check_document(query, limits)


class RequestLimiter:
    """ASGI wrapper applying ``check_body`` in front of the GraphQL view."""

    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "POST"):
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            if scope["method"] == "GET":
                query = request.query_params.get("query")
                if query is not None:
                    _check_document(query, self.limits)
                await self.app(scope, receive, send)
                return
            body = await request.body()
            check_body("POST", request.headers.get("content-type", ""), body, self.limits)
        except Refused as refused:
            error = {"message": str(refused), "extensions": {"code": refused.code}}
            response: Response = JSONResponse(
                {"data": None, "errors": [error]}, status_code=refused.status
            )
            await response(scope, receive, send)
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)
