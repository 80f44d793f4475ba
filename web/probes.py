"""Health probes and the metrics page: ``/healthz``, ``/readyz``, ``/metrics``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from tortoise.connection import get_connection

from kernel.telemetry import Telemetry
from mailers.outbox import outbox_depth


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


def metrics_endpoint(telemetry: Telemetry) -> Callable[[Request], Awaitable[Response]]:
    async def metrics(_: Request) -> Response:
        depth = {status.value: count for status, count in (await outbox_depth()).items()}
        return Response(telemetry.exposition(depth), media_type=CONTENT_TYPE_LATEST)

    return metrics
