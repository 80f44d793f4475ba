"""Health probes and the metrics page: ``/healthz``, ``/readyz``, ``/metrics``."""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Awaitable, Callable

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from tortoise.connection import get_connection

from kernel.settings import Settings
from kernel.telemetry import Telemetry
from mailers.outbox import outbox_depth
from web.graphql_view import bearer_token, client_address


async def healthz(_: Request) -> PlainTextResponse:
    return PlainTextResponse("ok")


def readyz_endpoint(
    pending_migrations: Callable[[], Awaitable[list[str]]],
) -> Callable[[Request], Awaitable[JSONResponse]]:
    """Ready when the database answers and no migration is pending."""

    async def readyz(_: Request) -> JSONResponse:
        try:
            await get_connection("default").execute_query("SELECT 1")
            pending = await pending_migrations()
        except Exception:
            return JSONResponse({"ready": False, "reason": "database unreachable"}, status_code=503)
        if pending:
            return JSONResponse({"ready": False, "reason": "migrations pending"}, status_code=503)
        return JSONResponse({"ready": True})

    return readyz


def metrics_allowed(request: Request, settings: Settings) -> bool:
    """From one of ``IEPIMP_METRICS_ALLOWED``, or with ``IEPIMP_METRICS_TOKEN`` as bearer."""
    token = bearer_token(request)
    if settings.metrics_token and token:
        return hmac.compare_digest(token.encode(), settings.metrics_token.encode())
    try:
        ip = ipaddress.ip_address(client_address(request, settings))
    except ValueError:
        return False
    return any(ip in network for network in settings.metrics_allowed)


def metrics_endpoint(
    telemetry: Telemetry, settings: Settings
) -> Callable[[Request], Awaitable[Response]]:
    async def metrics(request: Request) -> Response:
        if not metrics_allowed(request, settings):
            return PlainTextResponse("forbidden", status_code=403)
        depth = {status.value: count for status, count in (await outbox_depth()).items()}
        return Response(telemetry.exposition(depth), media_type=CONTENT_TYPE_LATEST)

    return metrics
