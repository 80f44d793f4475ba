"""GraphiQL from the vendored files, so the IDE at ``/graphql`` works offline under the CSP.

GraphiQL's schema query nests deeper than the depth limit allows any request, so the IDE reads
the schema from ``/graphiql/introspection.json`` instead (served only while introspection is on).
"""

from __future__ import annotations

from pathlib import Path

import strawberry
from graphql import introspection_from_schema
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from kernel.settings import Settings
from web.graphql_view import GraphQLView
from web.portal.security_headers import CSP

PAGE = (Path(__file__).parent / "templates" / "graphiql.html").read_text(encoding="utf-8")
IDE_CSP = CSP.replace("default-src 'self';", "default-src 'self'; font-src 'self' data:;")
"""GraphiQL's stylesheet embeds its icon fonts as data: URLs; nothing else is widened."""


class PortalGraphQLView(GraphQLView):
    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(PAGE, headers={"content-security-policy": IDE_CSP})


def introspection_route(schema: strawberry.Schema, settings: Settings) -> Route:
    answer: dict[str, object] = {}

    async def introspection(_: Request) -> Response:
        if not (settings.graphiql and settings.introspection):
            return JSONResponse({"errors": [{"message": "Introspection is disabled."}]}, 404)
        if not answer:
            answer["data"] = introspection_from_schema(schema._schema)
        return JSONResponse(answer)

    return Route("/graphiql/introspection.json", introspection)
