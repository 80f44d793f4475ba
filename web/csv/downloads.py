"""The CSV exports beside ``/graphql`` (SPEC §10), streamed, with the failure table's statuses:
401 no or dead token, 400 malformed argument, 404 missing or another tenant's, 403 role."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Sequence

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from kernel.clock import Clock
from kernel.errors import Forbidden
from kernel.settings import Settings
from models.access.permits import SEE_STUDENTS
from models.shared import identifiers as formats
from models.shared.csv_cells import spreadsheet_safe
from resolvers.directory import export_leas, export_students
from resolvers.directory import queries as directory_queries
from resolvers.shared import scope
from resolvers.shared.principal import Principal
from web.csv.errors import NOT_FOUND, SIGN_IN
from web.csv.errors import csv_error as _error
from web.graphql_view import build_context


def _csv(rows: Sequence[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([spreadsheet_safe(value) for value in row])
    return buffer.getvalue()


def _stream(
    header: Sequence[str], batches: AsyncIterator[list[list[str]]], filename: str
) -> StreamingResponse:
    async def body() -> AsyncIterator[str]:
        yield _csv([list(header)])
        async for rows in batches:
            yield _csv(rows)

    return StreamingResponse(
        body(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


async def _principal(request: Request, settings: Settings, clock: Clock) -> Principal | None:
    context = await build_context(request, settings, clock)
    return context.principal


def export_routes(settings: Settings, clock: Clock) -> list[Route]:
    async def students_csv(request: Request) -> Response:
        principal = await _principal(request, settings, clock)
        if principal is None:
            return _error(*SIGN_IN)
        name = request.path_params["cycle"]
        cds = request.query_params.get("lea") or (principal.scope_code if principal.lea_id else "")
        if problem := formats.cycle_name_problem(name):
            return _error(400, "INVALID_INPUT", formats.field_message("cycle", problem), "cycle")
        if problem := formats.cds_code_problem(cds):
            return _error(400, "INVALID_INPUT", formats.field_message("lea", problem), "lea")
        cycle = await directory_queries.find_cycle(principal, name)
        membership = (
            await directory_queries.find_membership(principal, cycle.id, cds) if cycle else None
        )
        if cycle is None or membership is None:
            return _error(*NOT_FOUND)
        try:
            scope.authorize(principal, SEE_STUDENTS, membership)
        except Forbidden as refusal:
            return _error(403, "FORBIDDEN", refusal.message)
        lea_id: int = membership.lea_id
        batches = export_students.student_rows(principal, cycle.id, lea_id)
        return _stream(export_students.COLUMNS, batches, f"students-{name}-{cds}.csv")

    async def leas_csv(request: Request) -> Response:
        principal = await _principal(request, settings, clock)
        if principal is None:
            return _error(*SIGN_IN)
        name = request.path_params["cycle"]
        code = request.query_params.get("selpa")
        if problem := formats.cycle_name_problem(name):
            return _error(400, "INVALID_INPUT", formats.field_message("cycle", problem), "cycle")
        if code is not None and (problem := formats.selpa_code_problem(code)):
            return _error(400, "INVALID_INPUT", formats.field_message("selpa", problem), "selpa")
        cycle = await directory_queries.find_cycle(principal, name)
        if cycle is None:
            return _error(*NOT_FOUND)
        selpa_id = None
        if code is not None:
            selpa = await directory_queries.find_selpa(principal, cycle.id, code)
            if selpa is None:
                return _error(*NOT_FOUND)
            selpa_id = selpa.id
        batches = export_leas.lea_rows(principal, cycle, selpa_id)
        filename = f"leas-{name}-{code}.csv" if code else f"leas-{name}.csv"
        return _stream(export_leas.COLUMNS, batches, filename)

    return [
        Route("/exports/{cycle}/students.csv", students_csv, methods=["GET"]),
        Route("/exports/{cycle}/leas.csv", leas_csv, methods=["GET"]),
    ]
