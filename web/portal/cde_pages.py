"""CDE's screens: the cycle dashboard (status counts, missing and late LEAs, extensions), grant
an extension, reopen a submission, reports by grouping with CSV, and publishing."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from web.portal.client import Answer, Client
from web.portal.downloads import report_csv
from web.portal.rendering import PACIFIC, Renderer, error_items, first, redirect

GROUPINGS = {"STATE": "State", "COUNTY": "County", "SELPA": "SELPA", "LEA": "LEA"}
CDE_ROLES = ("CDE_ADMIN", "CDE_ANALYST")


def pacific_input(value: str) -> str | None:
    """A datetime-local field (Pacific wall time) as an instant with its offset."""
    try:
        local = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if local.tzinfo is not None:
        return None
    return local.replace(tzinfo=PACIFIC).isoformat()


class CdePages:
    def __init__(self, client: Client, renderer: Renderer) -> None:
        self.client = client
        self.renderer = renderer

    async def home(self, request: Request) -> Response:
        answer = await self.client.run(request, "CdeCycles")
        cycles = answer.data.get("cycles") or []
        if (answer.data.get("viewer") or {}).get("role") not in CDE_ROLES or not cycles:
            return redirect("/")
        current = next((c for c in cycles if c["status"] == "OPEN"), cycles[-1])
        return redirect(f"/cde/{current['name']}")

    async def dashboard(
        self,
        request: Request,
        *,
        errors: list[dict[str, str]] | None = None,
        typed: dict[str, str] | None = None,
    ) -> Response:
        cycle = request.path_params["cycle"]
        answer = await self.client.run(request, "CdeDashboard", {"cycle": cycle})
        if answer.data.get("cycle") is None:
            return self.renderer.page(
                request,
                "message.html",
                status_code=404,
                title="Not found",
                message="There is no such cycle.",
            )
        now = self.client.clock()
        by_status = {
            key: [e["node"] for e in (answer.data.get(key) or {}).get("edges", [])]
            for key in ("notStarted", "draft", "rejected", "submitted", "approved")
        }
        missing = [
            lea
            for key in ("notStarted", "draft", "rejected")
            for lea in by_status[key]
            if lea["required"]
        ]
        late = [lea for lea in missing if datetime.fromisoformat(lea["dueAt"]) < now]
        extended = [lea for leas in by_status.values() for lea in leas if lea["extended"]]
        reopenable = by_status["submitted"] + by_status["approved"]
        rows = answer.data.get("report") or []
        return self.renderer.page(
            request,
            "cde_dashboard.html",
            status_code=400 if errors else 200,
            title=f"Cycle {cycle} dashboard",
            cycle=answer.data["cycle"],
            state=rows[0] if rows else None,
            missing=sorted(missing, key=lambda lea: lea["cdsCode"]),
            late=sorted(late, key=lambda lea: lea["cdsCode"]),
            extended=extended,
            reopenable=sorted(reopenable, key=lambda lea: lea["cdsCode"]),
            typed=typed or {},
            errors=errors or [],
            notice=request.query_params.get("notice", "")[:200],
        )

    async def _after(
        self, request: Request, answer: Answer, root: str, typed: dict[str, str], done: str
    ) -> Response:
        problems = error_items(answer.user_errors(root)) or [
            {"id": "", "message": e["message"]} for e in answer.errors
        ]
        if problems:
            return await self.dashboard(request, errors=problems, typed=typed)
        return redirect(f"/cde/{request.path_params['cycle']}?{urlencode({'notice': done})}")

    async def extension(self, request: Request) -> Response:
        fields = await self.renderer.form(request)
        if fields is None:
            return self.renderer.refused(request)
        typed = {"ext-cdsCode": first(fields, "cdsCode"), "dueAt": first(fields, "dueAt")}
        due = pacific_input(typed["dueAt"])
        if due is None:
            return await self.dashboard(
                request,
                typed=typed,
                errors=[{"id": "dueAt", "message": "dueAt must be a date and time."}],
            )
        variables = {
            "input": {
                "cycle": request.path_params["cycle"],
                "cdsCode": typed["ext-cdsCode"],
                "dueAt": due,
            }
        }
        answer = await self.client.run(request, "GrantExtension", variables)
        return await self._after(request, answer, "grantExtension", typed, "Extension granted.")

    async def reopen(self, request: Request) -> Response:
        fields = await self.renderer.form(request)
        if fields is None:
            return self.renderer.refused(request)
        typed = {"reopen-cdsCode": first(fields, "cdsCode"), "reason": first(fields, "reason")}
        variables = {
            "input": {
                "cycle": request.path_params["cycle"],
                "cdsCode": typed["reopen-cdsCode"],
                "reason": typed["reason"],
            }
        }
        answer = await self.client.run(request, "ReopenSubmission", variables)
        return await self._after(request, answer, "reopenSubmission", typed, "Submission reopened.")

    async def publish(self, request: Request) -> Response:
        fields = await self.renderer.form(request)
        if fields is None:
            return self.renderer.refused(request)
        answer = await self.client.run(
            request, "PublishResults", {"cycle": request.path_params["cycle"]}
        )
        return await self._after(request, answer, "publishResults", {}, "Results published.")

    async def reports(self, request: Request) -> Response:
        cycle = request.path_params["cycle"]
        grouping = request.query_params.get("groupBy", "STATE")
        grouping = grouping if grouping in GROUPINGS else "STATE"
        answer = await self.client.run(request, "CdeReport", {"cycle": cycle, "groupBy": grouping})
        return self.renderer.page(
            request,
            "cde_reports.html",
            title=f"Reports {cycle}",
            cycle=cycle,
            grouping=grouping,
            groupings=GROUPINGS,
            rows=answer.data.get("report") or [],
            errors=[{"id": "", "message": e["message"]} for e in answer.errors],
        )

    async def reports_csv(self, request: Request) -> Response:
        cycle = request.path_params["cycle"]
        grouping = request.query_params.get("groupBy", "STATE")
        grouping = grouping if grouping in GROUPINGS else "STATE"
        answer = await self.client.run(request, "CdeReport", {"cycle": cycle, "groupBy": grouping})
        return report_csv(answer.data.get("report") or [], f"report-{cycle}-{grouping}.csv")
