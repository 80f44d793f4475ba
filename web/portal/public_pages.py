"""The published results, for anyone: the frozen snapshot with suppressed cells shown as such."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from web.portal.client import Client
from web.portal.rendering import Renderer

GROUPINGS = {"STATE": "State", "COUNTY": "County", "SELPA": "SELPA", "LEA": "LEA"}


class PublicPages:
    def __init__(self, client: Client, renderer: Renderer) -> None:
        self.client = client
        self.renderer = renderer

    async def index(self, request: Request) -> Response:
        answer = await self.client.run(request, "PublicCycles", token="")
        return self.renderer.page(
            request,
            "results_index.html",
            title="Published results",
            cycles=answer.data.get("cycles") or [],
            signed_in=bool(request.cookies.get("iepimp_session")),
        )

    async def results(self, request: Request) -> Response:
        grouping = request.query_params.get("groupBy", "STATE")
        if grouping not in GROUPINGS:
            grouping = "STATE"
        cycle = request.path_params["cycle"]
        answer = await self.client.run(
            request, "PublicResults", {"cycle": cycle, "groupBy": grouping}, token=""
        )
        return self.renderer.page(
            request,
            "results.html",
            title=f"Published results {cycle}",
            cycle=cycle,
            grouping=grouping,
            groupings=GROUPINGS,
            rows=answer.data.get("publicReport") or [],
            signed_in=bool(request.cookies.get("iepimp_session")),
        )
