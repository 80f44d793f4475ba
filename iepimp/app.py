"""The ASGI application: GraphQL, health probes and (later) exports, with a lifespan that
opens the database and refuses to serve one whose migrations are behind."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from tortoise import Tortoise
from tortoise.connection import get_connection

from iepimp.db import init_database, pending_migrations, tortoise_config
from iepimp.settings import Settings
from iepimp.telemetry import RequestTelemetry, Telemetry
from mailers.outbox import outbox_depth
from mailers.smtp import SmtpConfig
from mailers.worker import DeliveryWorker, running
from resolvers.clock import Clock, system_clock
from schema.build import build_schema
from schema.edge import GraphQLEdge, Limits
from schema.exports import export_routes
from schema.imports import import_routes
from schema.report_csv import report_csv_endpoint
from schema.view import GraphQLView


async def healthz(_: Request) -> PlainTextResponse:
    return PlainTextResponse("ok")


async def readyz(_: Request) -> JSONResponse:
    try:
        await get_connection("default").execute_query("SELECT 1")
        pending = await pending_migrations()
    except Exception:
        return JSONResponse({"ready": False, "reason": "database unreachable"}, status_code=503)
    if pending:
        return JSONResponse({"ready": False, "reason": "migrations pending"}, status_code=503)
    return JSONResponse({"ready": True})


def edge_limits(settings: Settings) -> Limits:
    return Limits(
        max_depth=settings.max_query_depth,
        max_aliases=settings.max_aliases,
        max_tokens=settings.max_tokens,
        max_document_bytes=settings.max_document_bytes,
        max_operations=settings.max_operations_per_request,
        max_directives=settings.max_directives,
        json_only=settings.production,
        introspection=settings.introspection,
    )


def metrics_endpoint(telemetry: Telemetry) -> Callable[[Request], Awaitable[Response]]:
    async def metrics(_: Request) -> Response:
        depth = {status.value: count for status, count in (await outbox_depth()).items()}
        return Response(telemetry.exposition(depth), media_type=CONTENT_TYPE_LATEST)

    return metrics


def create_app(
    settings: Settings, *, clock: Clock = system_clock, manage_database: bool = True
) -> Starlette:
    """The service. ``manage_database=False`` leaves connections to the caller (tests)."""
    telemetry = Telemetry()
    view = GraphQLView(
        build_schema(settings),
        settings,
        clock,
        telemetry,
        graphql_ide="graphiql" if settings.graphiql else None,
        allow_queries_via_get=not settings.production,
    )

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if manage_database:
            await init_database(
                tortoise_config(settings.database_url, settings.db_pool_min, settings.db_pool_max)
            )
        worker = None
        if manage_database and settings.mail_worker:
            worker = DeliveryWorker(SmtpConfig.from_settings(settings), clock)
        try:
            async with running(worker):
                yield
        finally:
            if manage_database:
                await Tortoise.close_connections()

    return Starlette(
        routes=[
            Route("/graphql", GraphQLEdge(view, edge_limits(settings)), methods=["GET", "POST"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics_endpoint(telemetry)),
            Route("/exports/{cycle}/report.csv", report_csv_endpoint(settings, clock)),
            *export_routes(settings, clock),
            *import_routes(settings, clock),
        ],
        lifespan=lifespan,
        middleware=[Middleware(RequestTelemetry, telemetry=telemetry)],
    )
