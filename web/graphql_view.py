"""The strawberry ASGI view: builds the per-request ``Context`` (caller, clock, loaders)."""

from __future__ import annotations

import ipaddress
import logging
from functools import lru_cache
from typing import Any

import orjson
import strawberry
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.types import ExecutionResult

from kernel.clock import Clock, system_clock
from kernel.settings import Settings
from kernel.telemetry import Telemetry
from models.access.client_addresses import MAX_ADDRESS, normalize_address
from resolvers.access.authenticate import authenticate_caller
from schema.engine.engine_errors import classify
from schema.shared.context import Context
from web.media_types import GRAPHQL_RESPONSE_JSON, preferred_media_type
from web.request_limits import SCHEMA_ONLY

log = logging.getLogger("iepimp.web")


def client_address(request: Request, settings: Settings) -> str:
    """The socket peer, or, behind a trusted proxy, the nearest untrusted forwarded address;
    always in canonical form. A malformed or over-long forwarded hop is ignored (and logged):
    the address is then the last trusted hop's."""
    current = _peer_address(request.client.host if request.client else "")
    if not settings.trusted_proxies or not _trusted(current, settings):
        return current
    forwarded = request.headers.get("x-forwarded-for", "")
    for hop in reversed(forwarded[:4096].split(",")):
        address = normalize_address(hop)
        if address is None:
            if hop.strip():
                log.warning("ignored a malformed X-Forwarded-For hop from %s", current)
            return current
        if not _trusted(address, settings):
            return address
        current = address
    return current


@lru_cache(maxsize=4096)
def _peer_address(peer: str) -> str:
    """The socket peer's canonical form: worked out once per peer."""
    return normalize_address(peer) or peer[:MAX_ADDRESS]


def _trusted(address: str, settings: Settings) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in settings.trusted_proxies)


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


async def build_context(
    request: Request,
    settings: Settings,
    clock: Clock,
    *,
    session_token: str | None = None,
    identify: bool = True,
) -> Context:
    """The caller of ``request``: its bearer token, else ``session_token`` (the portal's cookie).

    ``identify=False`` (a request answered from the schema alone) reads no token: the answer
    is the same for every caller, so even a dead token is not looked at, and nothing touches
    the database."""
    context = Context(settings=settings, clock=clock, request=request)
    context.client_address = client_address(request, settings)
    if not identify:
        return context
    token = bearer_token(request)
    if token is None:
        token = session_token
    if token is not None:
        if token and len(token) <= 200:
            caller = await authenticate_caller(
                token, settings.secret_key, clock(), settings.session_idle_minutes
            )
            context.principal, context.report_epoch = caller
        context.token_rejected = context.principal is None
    return context


class GraphQLView(GraphQL[Context, None]):
    def __init__(
        self,
        schema: strawberry.Schema,
        settings: Settings,
        clock: Clock = system_clock,
        telemetry: Telemetry | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(schema, **kw)
        self.settings = settings
        self.clock = clock
        self.telemetry = telemetry

    async def process_result(self, request: Any, result: ExecutionResult) -> GraphQLHTTPResponse:
        for error in result.errors or []:
            classify(error)
        processed = await super().process_result(request, result)
        if _is_request_error(result) and _wants_graphql_response(request):
            processed.pop("data", None)
            response = getattr(request.state, "sub_response", None)
            if isinstance(response, Response):
                response.status_code = 400
        return processed

    async def get_context(self, request: Any, response: Any) -> Context:
        assert isinstance(request, Request)
        context = await build_context(
            request,
            self.settings,
            self.clock,
            identify=not getattr(request.state, SCHEMA_ONLY, False),
        )
        context.response = response if isinstance(response, Response) else None
        context.telemetry = self.telemetry
        context.encoded_answers = True
        request.state.sub_response = context.response
        return context

    async def answer_operation(
        self, scope: Scope, receive: Receive, send: Send, operation: dict[str, Any]
    ) -> bool:
        """Answer one POSTed operation the limiter has parsed and checked, as ``run`` answers
        it (no root value, the same context, ``execute_single``, result processing, error hook
        and response; an ``HTTPException`` as plain text, as ``__call__`` sends it), without
        reading and parsing the body a second time. False, with nothing sent, when the answer
        could be a stream (the client accepts one, or incremental delivery is on): ``run``
        then decides."""
        request = Request(scope, receive)
        if (
            self.schema.config.enable_experimental_incremental_execution
            or self._get_stream_transport_from_headers(request.headers) is not None
        ):
            return False
        try:
            response = await self._answer(request, operation)
        except HTTPException as error:
            response = PlainTextResponse(error.reason, status_code=error.status_code)
        await response(scope, receive, send)
        return True

    async def _answer(self, request: Request, operation: dict[str, Any]) -> Response:
        sub_response = await self.get_sub_response(request)
        context = await self.get_context(request, sub_response)
        result = await self.execute_single(
            request=request,
            request_adapter=self.request_adapter_class(request),
            sub_response=sub_response,
            context=context,
            root_value=None,
            request_data=GraphQLRequestData(
                query=operation.get("query"),
                variables=operation.get("variables"),
                operation_name=operation.get("operationName"),
                extensions=operation.get("extensions"),
            ),
        )
        data = await self.process_result(request, result)
        if result.errors:
            self._handle_errors(result.errors, data)
        return self.create_response(data, sub_response)

    def encode_json(self, data: object) -> bytes:
        """Responses encoded by orjson, which also embeds stored answers and kept rows as they
        are: no option that reorders or reformats (sorted keys, indentation), which the embedded
        JSON would not follow."""
        return orjson.dumps(data)


def _is_request_error(result: ExecutionResult) -> bool:
    """Nothing executed: the document did not parse or validate, or a variable did not fit."""
    errors = result.errors or []
    return result.data is None and bool(errors) and all(e.path is None for e in errors)


def _wants_graphql_response(request: Any) -> bool:
    accept = request.headers.get("accept", "") if isinstance(request, Request) else ""
    return preferred_media_type(accept) == GRAPHQL_RESPONSE_JSON
