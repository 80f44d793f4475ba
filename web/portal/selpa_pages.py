"""The SELPA's screens: overview with LEA status counts and the LEA list, and entering data on
behalf of one of its LEAs (the LEA drop-down)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from web.portal.client import Client
from web.portal.rendering import Renderer, redirect


class SelpaPages:
    def __init__(self, client: Client, renderer: Renderer) -> None:
        self.client = client
        self.renderer = renderer

    async def overview(self, request: Request) -> Response:
        params = request.path_params
        answer = await self.client.run(
            request, "SelpaOverview", {"cycle": params["cycle"], "code": params["code"]}
        )
        selpa = answer.data.get("selpa")
        if selpa is None:
            return self.renderer.page(
                request,
                "message.html",
                status_code=404,
                title="Not found",
                message="There is no such SELPA in this cycle that you may see.",
            )
        return self.renderer.page(
            request,
            "selpa_overview.html",
            title=f"{selpa['name']} overview",
            cycle=params["cycle"],
            selpa=selpa,
            leas=[edge["node"] for edge in selpa["leas"]["edges"]],
            notice=request.query_params.get("notice", "")[:200],
        )

    async def enter(self, request: Request) -> Response:
        """The LEA drop-down: open the chosen LEA's data entry page."""
        cds = request.query_params.get("lea", "")
        if not (cds.isdigit() and len(cds) == 14):
            return redirect(request.url.path.rsplit("/", 1)[0])
        return redirect(f"/lea/{request.path_params['cycle']}/{cds}")
