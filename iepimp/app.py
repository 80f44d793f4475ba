"""The ASGI application: GraphQL, health probes and (later) exports, with a lifespan that
opens the database and refuses to serve one whose migrations are behind."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route
from tortoise import Tortoise
from tortoise.connection import get_connection

from iepimp.db import init_database, pending_migrations, tortoise_config
from iepimp.settings import Settings
from resolvers.clock import Clock, system_clock
from schema.build import build_schema
from schema.view import GraphQLView


async def healthz(_: Request) -> PlainTextResponse:
    return PlainTextResponse("ok")


async def readyz(_: Request) -> JSONResponse:
    try:
        await get_connection("default").execute_query("SELECT 1")
        pending = await pending_migrations()
    except Exception:  # noqa: BLE001 - any database failure means not ready
        return JSONResponse({"ready": False, "reason": "database unreachable"}, status_code=503)
    if pending:
        return JSONResponse({"ready": False, "reason": "migrations pending"}, status_code=503)
    return JSONResponse({"ready": True})


def create_app(
    settings: Settings, *, clock: Clock = system_clock, manage_database: bool = True
) -> Starlette:
    """The service. ``manage_database=False`` leaves connections to the caller (tests)."""
    view = GraphQLView(
        build_schema(settings),
        settings,
        clock,
        graphql_ide="graphiql" if settings.graphiql else None,
        allow_queries_via_get=not settings.production,
    )

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if manage_database:
            await init_database(
                tortoise_config(settings.database_url, settings.db_pool_min, settings.db_pool_max)
            )
        try:
            yield
        finally:
            if manage_database:
                await Tortoise.close_connections()

    return Starlette(
        routes=[
            Route("/graphql", view, methods=["GET", "POST"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
        ],
        lifespan=lifespan,
    )
