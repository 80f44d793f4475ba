"""GraphiQL from the vendored files, so the IDE at ``/graphql`` works offline under the CSP."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from web.graphql_view import GraphQLView

PAGE = (Path(__file__).parent / "templates" / "graphiql.html").read_text(encoding="utf-8")


class PortalGraphQLView(GraphQLView):
    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(PAGE)
