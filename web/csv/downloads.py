"""The CSV exports beside ``/graphql`` (SPEC §10), streamed, with the failure table's statuses:
401 no or dead token, 400 malformed argument, 404 missing or another tenant's, 403 role.

CSV files are UTF-8 with a byte-order mark and CRLF line ends (what Excel expects); each has
an ``.xlsx`` twin at the same path with the other extension."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from kernel.clock import Clock
from kernel.errors import Forbidden
from kernel.settings import Settings
from models.access.permits import SEE_STUDENTS
from models.shared import identifiers as formats
from models.shared.csv_cells import BOM, csv_text
from resolvers.directory import export_leas, export_students
from resolvers.directory import queries as directory_queries
from resolvers.shared import scope
from web.csv.arguments import caller, cycle_and_lea, cycle_named
from web.csv.errors import NOT_FOUND
from web.csv.errors import csv_error as _error
from web.csv.workbook import workbook_from_batches, xlsx_response

Source = tuple[Sequence[str], AsyncIterator[list[list[str]]], str]
"""What a download sends: its header, its row batches, its file name without extension."""


async def _send(found: Source | Response, extension: str) -> Response:
    if isinstance(found, Response):
        return found
    header, batches, name = found
    if extension == "xlsx":
        title = name.split("-", 1)[0]
        return xlsx_response(await workbook_from_batches(title, header, batches), f"{name}.xlsx")
    return _stream(header, batches, f"{name}.csv")


def _stream(
    header: Sequence[str], batches: AsyncIterator[list[list[str]]], filename: str
) -> StreamingResponse:
    async def body() -> AsyncIterator[str]:
        yield BOM + csv_text([header])
        async for rows in batches:
            yield csv_text(rows)

    return StreamingResponse(
        body(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


def export_routes(settings: Settings, clock: Clock) -> list[Route]:
    async def students(request: Request) -> Source | Response:
        principal = await caller(request, settings, clock)
        if isinstance(principal, Response):
            return principal
        named = cycle_and_lea(request, principal)
        if isinstance(named, Response):
            return named
        name, cds = named
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
        return export_students.COLUMNS, batches, f"students-{name}-{cds}"

    async def leas(request: Request) -> Source | Response:
        principal = await caller(request, settings, clock)
        if isinstance(principal, Response):
            return principal
        name = cycle_named(request)
        if isinstance(name, Response):
            return name
        code = request.query_params.get("selpa")
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
        return export_leas.COLUMNS, batches, f"leas-{name}-{code}" if code else f"leas-{name}"

    async def students_csv(request: Request) -> Response:
        return await _send(await students(request), "csv")

    async def students_xlsx(request: Request) -> Response:
        return await _send(await students(request), "xlsx")

    async def leas_csv(request: Request) -> Response:
        return await _send(await leas(request), "csv")

    async def leas_xlsx(request: Request) -> Response:
        return await _send(await leas(request), "xlsx")

    return [
        Route("/exports/{cycle}/students.csv", students_csv, methods=["GET"]),
        Route("/exports/{cycle}/students.xlsx", students_xlsx, methods=["GET"]),
        Route("/exports/{cycle}/leas.csv", leas_csv, methods=["GET"]),
        Route("/exports/{cycle}/leas.xlsx", leas_xlsx, methods=["GET"]),
    ]
