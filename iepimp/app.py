"""The ASGI application: GraphQL, health probes, CSV routes and metrics, with a lifespan that
opens the database and refuses to serve one whose migrations are behind."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Route
from tortoise import Tortoise

from iepimp.db import init_database, pending_migrations, tortoise_config
from kernel.clock import Clock, system_clock
from kernel.settings import Settings
from kernel.telemetry import Telemetry
from mailers.smtp import SmtpConfig
from mailers.worker import DeliveryWorker, running
from schema.build import build_schema
from web.csv.downloads import export_routes
from web.csv.minutes_upload import import_routes
from web.csv.report_download import report_csv_endpoint
from web.csv.roster_upload import roster_upload_routes
from web.portal.graphiql import PortalGraphQLView
from web.portal.routes import portal_routes
from web.portal.security_headers import SecurityHeaders
from web.probes import healthz, metrics_endpoint, readyz_endpoint
from web.request_limits import Limits, RequestLimiter
from web.request_telemetry import RequestTelemetry


def settle_heap(young_threshold: int) -> None:
    """Move what the start made (modules, the schema, connections) out of the cyclic
    collector's sight, so that a collection while a large answer is built walks that
    answer's objects only, not the whole process; and collect the youngest generation after
    ``young_threshold`` more objects than were freed rather than Python's 700: requests in
    flight (a report's rows, 200 submissions at once) hold many objects for a while, and with
    the default every few hundred of them start a collection that walks, and promotes, all the
    young objects of every request still running."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(young_threshold, middle, old)


def create_app(
    settings: Settings, *, clock: Clock = system_clock, manage_database: bool = True
) -> Starlette:
    """The service. ``manage_database=False`` leaves connections to the caller (tests)."""
    telemetry = Telemetry()
    schema = build_schema(settings)
    view = PortalGraphQLView(
        schema,
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
            settle_heap(settings.gc_young_threshold)
        worker = None
        if manage_database and settings.mail_worker:
            worker = DeliveryWorker(SmtpConfig.from_settings(settings), clock)
        try:
            async with running(worker):
                yield
        finally:
            if manage_database:
                await Tortoise.close_connections()

    middleware = [Middleware(RequestTelemetry, telemetry=telemetry), Middleware(SecurityHeaders)]
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type", "X-Request-Id"],
                expose_headers=["X-Request-Id", "Content-Disposition"],
                max_age=600,
            )
        )
    return Starlette(
        routes=[
            Route(
                "/graphql",
                RequestLimiter(
                    view, Limits.from_settings(settings), schema._schema, view.answer_operation
                ),
                methods=["GET", "POST"],
            ),
            Route("/healthz", healthz),
            Route("/readyz", readyz_endpoint(pending_migrations)),
            Route("/metrics", metrics_endpoint(telemetry, settings)),
            Route("/exports/{cycle}/report.csv", report_csv_endpoint(settings, clock)),
            Route("/exports/{cycle}/report.xlsx", report_csv_endpoint(settings, clock, "xlsx")),
            *export_routes(settings, clock),
            *import_routes(settings, clock),
            *roster_upload_routes(settings, clock),
            *portal_routes(schema, settings, clock),
        ],
        lifespan=lifespan,
        middleware=middleware,
    )
