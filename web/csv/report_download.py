"""``GET /exports/{cycle}/report.csv?groupBy=…[&statuses=APPROVED,SUBMITTED]``: the report as
CSV for CDE tools (UTF-8 with BOM, CRLF), or ``report.xlsx`` as a workbook, with the bearer
token of ``/graphql`` (SPEC §10: 401, 403, 400, 404)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from starlette.requests import Request
from starlette.responses import Response

from kernel.clock import Clock
from kernel.settings import Settings
from models.access.permits import CDE_STAFF
from models.reports.figures import GroupFigures
from models.shared.csv_cells import BOM, csv_text
from models.shared.enums import ReportGrouping, SubmissionStatus
from resolvers.directory.queries import find_cycle
from resolvers.reports.aggregate import DEFAULT_STATUSES, aggregate
from web.csv.arguments import caller, cycle_named
from web.csv.errors import csv_error
from web.csv.workbook import workbook, xlsx_response

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
    "self_reviewed",
]


def report_rows(figures: Sequence[GroupFigures]) -> list[list[object]]:
    """One row per group, in the order of ``COLUMNS`` (text cells as they are)."""
    return [
        [
            f.grouping.value,
            f.key,
            f.label,
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
            f.self_reviewed,
        ]
        for f in figures
    ]


def report_csv(figures: Sequence[GroupFigures]) -> str:
    return BOM + csv_text([COLUMNS, *report_rows(figures)])


def _statuses(raw: str | None) -> tuple[SubmissionStatus, ...] | None:
    if raw is None:
        return DEFAULT_STATUSES
    try:
        chosen = tuple(dict.fromkeys(SubmissionStatus(part.strip()) for part in raw.split(",")))
    except ValueError:
        return None
    return chosen or None


def report_csv_endpoint(
    settings: Settings, clock: Clock, extension: str = "csv"
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        principal = await caller(request, settings, clock, CDE_STAFF)
        if isinstance(principal, Response):
            return principal
        cycle_name = cycle_named(request)
        if isinstance(cycle_name, Response):
            return cycle_name
        try:
            grouping = ReportGrouping(request.query_params.get("groupBy", ""))
        except ValueError:
            return csv_error(
                400, "INVALID_INPUT", "groupBy must be STATE, COUNTY, SELPA or LEA.", "groupBy"
            )
        statuses = _statuses(request.query_params.get("statuses"))
        if statuses is None:
            return csv_error(
                400,
                "INVALID_INPUT",
                "statuses must list submission statuses, comma-separated.",
                "statuses",
            )
        cycle = await find_cycle(principal, cycle_name)
        if cycle is None:
            return csv_error(404, "NOT_FOUND", f"There is no cycle {cycle_name}.")
        figures = await aggregate(principal, cycle, [grouping], statuses)
        filename = f"report-{cycle.name}-{grouping.value.lower()}.{extension}"
        if extension == "xlsx":
            return xlsx_response(workbook("report", COLUMNS, report_rows(figures)), filename)
        return Response(
            report_csv(figures),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    return endpoint
