"""The portal's routes, mounted at ``/`` beside ``/graphql``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import strawberry
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from kernel.clock import Clock
from kernel.settings import Settings
from web.portal import downloads
from web.portal.access_pages import AccessPages
from web.portal.cde_pages import CdePages
from web.portal.client import Client, SignInRequired
from web.portal.graphiql import introspection_route
from web.portal.lea_pages import LeaPages
from web.portal.public_pages import PublicPages
from web.portal.rendering import Renderer, redirect
from web.portal.selpa_pages import SelpaPages
from web.portal.session import end_session
from web.portal.worksheet_pages import WorksheetPages

STATIC = Path(__file__).with_name("static")
Page = Callable[[Request], Awaitable[Response]]


def portal_routes(schema: strawberry.Schema, settings: Settings, clock: Clock) -> list[BaseRoute]:
    client = Client(schema, settings, clock)
    renderer = Renderer(settings)
    access = AccessPages(client, renderer)
    lea = LeaPages(client, renderer)
    worksheet = WorksheetPages(client, renderer)
    selpa = SelpaPages(client, renderer)
    public = PublicPages(client, renderer)
    cde = CdePages(client, renderer)

    def signed_in(page: Page) -> Page:
        async def endpoint(request: Request) -> Response:
            try:
                return await page(request)
            except SignInRequired:
                response = redirect("/")
                end_session(request, response)
                return response

        return endpoint

    async def students_csv(request: Request) -> Response:
        return await downloads.student_records(client, request)

    async def leas_csv(request: Request) -> Response:
        return await downloads.lea_records(client, request)

    lea_base = "/lea/{cycle}/{cds}"
    selpa_base = "/selpa/{cycle}/{code}"
    return [
        Route("/", signed_in(access.home)),
        Route("/signin", signed_in(access.signin), methods=["POST"]),
        Route("/signout", signed_in(access.signout), methods=["POST"]),
        Route(lea_base, signed_in(lea.overview)),
        Route(f"{lea_base}/save", signed_in(lea.save), methods=["POST"]),
        Route(f"{lea_base}/submit", signed_in(lea.confirm), methods=["GET"]),
        Route(f"{lea_base}/submit", signed_in(lea.submit), methods=["POST"]),
        Route(f"{lea_base}/review", signed_in(lea.review_page), methods=["GET"]),
        Route(f"{lea_base}/review", signed_in(lea.review), methods=["POST"]),
        Route(f"{lea_base}/receipt", signed_in(lea.receipt)),
        Route(f"{lea_base}/students.csv", signed_in(students_csv)),
        Route(f"{lea_base}/worksheet", signed_in(worksheet.page), methods=["GET"]),
        Route(f"{lea_base}/worksheet", signed_in(worksheet.record), methods=["POST"]),
        Route(f"{lea_base}/worksheet/apply", signed_in(worksheet.apply), methods=["POST"]),
        Route(f"{lea_base}/worksheet/upload", signed_in(worksheet.upload), methods=["POST"]),
        Route(selpa_base, signed_in(selpa.overview)),
        Route(f"{selpa_base}/leas.csv", signed_in(leas_csv)),
        Route(f"{selpa_base}/enter", signed_in(selpa.enter)),
        Route("/cde", signed_in(cde.home)),
        Route("/cde/{cycle}", signed_in(cde.dashboard)),
        Route("/cde/{cycle}/extension", signed_in(cde.extension), methods=["POST"]),
        Route("/cde/{cycle}/reopen", signed_in(cde.reopen), methods=["POST"]),
        Route("/cde/{cycle}/publish", signed_in(cde.publish), methods=["POST"]),
        Route("/cde/{cycle}/reports", signed_in(cde.reports)),
        Route("/cde/{cycle}/report.csv", signed_in(cde.reports_csv)),
        Route("/results", signed_in(public.index)),
        Route("/results/{cycle}", signed_in(public.results)),
        introspection_route(schema, settings),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
