"""``GET /exports/{cycle}/report.csv?groupBy=…[&statuses=APPROVED,SUBMITTED]``: the report as
CSV for CDE tools, with the bearer token of ``/graphql`` (SPEC §10: 401, 403, 400, 404)."""

from __future__ import annotations

import csv
import io
from collections.abc import Awaitable, Callable, Sequence

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from kernel.clock import Clock
from kernel.settings import Settings
from models.reports.figures import GroupFigures
from models.shared.csv_cells import spreadsheet_safe
from models.shared.enums import ReportGrouping, SubmissionStatus
from models.shared.identifiers import is_cycle_name
from resolvers.directory.queries import find_cycle
from resolvers.reports.aggregate import DEFAULT_STATUSES, aggregate
from schema.shared.permissions import CdeOnly
from web.graphql_view import build_context

COLUMNS = [
    "group_by",
    "key",
    "label",
    "county",
    "selpa_code",
    "required",
    "exempt",
    "not_started",
    "draft",
    "submitted",
    "approved",
    "rejected",
    "count_a",
    "count_b",
    "count_c",
    "total",
    "percent_a",
    "percent_b",
    "percent_c",
    "leas_submitted",
    "response_rate",
    "on_time",
    "timeliness",
    "extensions_granted",
]


def report_csv(figures: Sequence[GroupFigures]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for f in figures:
        writer.writerow(
            [
                f.grouping.value,
                f.key,
                spreadsheet_safe(f.label),
                f.county or "",
                f.selpa_code or "",
                f.required,
                f.exempt,
                f.not_started,
                f.draft,
                f.submitted,
                f.approved,
                f.rejected,
                f.count_a,
                f.count_b,
                f.count_c,
                f.total,
                f.share(f.count_a).percent or "",
                f.share(f.count_b).percent or "",
                f.share(f.count_c).percent or "",
                f.leas_submitted,
                f.response_rate.percent or "",
                f.on_time,
                f.timeliness.percent or "",
                f.extensions_granted,
            ]
        )
    return out.getvalue()


def _statuses(raw: str | None) -> tuple[SubmissionStatus, ...] | None:
    if raw is None:
        return DEFAULT_STATUSES
    try:
        chosen = tuple(dict.fromkeys(SubmissionStatus(part.strip()) for part in raw.split(",")))
    except ValueError:
        return None
    return chosen or None


def report_csv_endpoint(
    settings: Settings, clock: Clock
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        context = await build_context(request, settings, clock)
        principal = context.principal
        if principal is None:
            return PlainTextResponse(
                "Sign in with an access code (Authorization: Bearer <token>).\n",
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        if principal.role not in CdeOnly.roles:
            return PlainTextResponse(CdeOnly.message + "\n", status_code=403)
        cycle_name = request.path_params["cycle"]
        if not is_cycle_name(cycle_name):
            return PlainTextResponse("cycle must name a cycle such as 2024-25.\n", 400)
        try:
            grouping = ReportGrouping(request.query_params.get("groupBy", ""))
        except ValueError:
            return PlainTextResponse("groupBy must be STATE, COUNTY, SELPA or LEA.\n", 400)
        statuses = _statuses(request.query_params.get("statuses"))
        if statuses is None:
            return PlainTextResponse(
                "statuses must list submission statuses, comma-separated.\n", 400
            )
        cycle = await find_cycle(principal, cycle_name)
        if cycle is None:
            return PlainTextResponse(f"No cycle {cycle_name}.\n", status_code=404)
        figures = await aggregate(principal, cycle, [grouping], statuses)
        filename = f"report-{cycle.name}-{grouping.value.lower()}.csv"
        return Response(
            report_csv(figures),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    return endpoint
