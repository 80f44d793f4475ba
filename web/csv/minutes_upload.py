"""``POST /imports/{cycle}/minutes.csv?lea=CDS``: upload worksheet minutes (SPEC §3.9, §10).

The body is the file itself (CSV or ``.xlsx``, with the content types browsers and Windows
give such files), or a ``multipart/form-data`` form (a plain HTML file input) holding it; at
most 1 MiB. CSV may be UTF-8 or Windows-1252 and separated by commas, semicolons or tabs.
The file is all or nothing; failures answer with the failure table's statuses: 401 no or dead
token, 400 malformed argument or unreadable file (with its line and column when one is at
fault, and how the file was read), 404 missing or another tenant's LEA, 403 role, 413 too
large, 415 not a table, 422 business rule (the blocking state error, or every bad row by line
and column). An accepted file answers 200 with a JSON summary (``notes`` says how a file not
in UTF-8 was read).
"""

from __future__ import annotations

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Message

from kernel.clock import Clock
from kernel.errors import ErrorCode, Forbidden
from kernel.settings import Settings
from models.access.permits import ENTER_COUNTS
from models.worksheet.minutes_csv import MinutesFileError, parse_minutes_csv
from resolvers.submissions import target as submission_target
from resolvers.worksheet.counts import derived_counts
from resolvers.worksheet.record_minutes import RecordMinutes, record_minutes
from web.csv.arguments import caller, cycle_and_lea
from web.csv.errors import NOT_FOUND
from web.csv.errors import csv_error as _error

MAX_UPLOAD_BYTES = 1_048_576
MULTIPART = "multipart/form-data"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLE_TYPES = frozenset(
    {
        "text/csv",
        "application/csv",
        "text/x-csv",
        "application/x-csv",
        "text/comma-separated-values",
        "text/tab-separated-values",
        "text/plain",
        "application/vnd.ms-excel",
        "application/octet-stream",
        "application/x-zip-compressed",
        "application/zip",
        XLSX_TYPE,
        MULTIPART,
    }
)


class _TooLarge(Exception):
    pass


async def _body(request: Request) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES:
        raise _TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_UPLOAD_BYTES:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _media(request: Request) -> str:
    return request.headers.get("content-type", "text/csv").split(";")[0].strip().lower()


class _FormProblem(Exception):
    pass


async def _form_file(request: Request, data: bytes) -> bytes:
    """The one file of a ``multipart/form-data`` body (already read, within the limit)."""

    async def replay() -> Message:
        return {"type": "http.request", "body": data, "more_body": False}

    try:
        async with Request(request.scope, replay).form(max_files=1, max_fields=20) as form:
            files = [v for _, v in form.multi_items() if isinstance(v, UploadFile)]
            if not files:
                raise _FormProblem("The form holds no file: send it in a file field.")
            return await files[0].read()
    except MultiPartException as exc:
        raise _FormProblem(f"The form cannot be read ({exc.message}).") from None


def import_routes(settings: Settings, clock: Clock) -> list[Route]:
    async def minutes_csv(request: Request) -> Response:
        principal = await caller(request, settings, clock)
        if isinstance(principal, Response):
            return principal
        named = cycle_and_lea(request, principal)
        if isinstance(named, Response):
            return named
        name, cds = named
        try:
            found = await submission_target.find_target(principal, name, cds, ENTER_COUNTS)
        except Forbidden as refusal:
            return _error(403, "FORBIDDEN", refusal.message)
        if not isinstance(found, submission_target.Target):
            return _error(*NOT_FOUND)
        media = _media(request)
        if media not in TABLE_TYPES:
            return _error(
                415, "INVALID_INPUT", "Send the file as CSV (text/csv) or .xlsx.", field="file"
            )
        try:
            data = await _body(request)
            if media == MULTIPART:
                data = await _form_file(request, data)
        except _TooLarge:
            return _error(
                413, "INVALID_INPUT", f"The file is over {MAX_UPLOAD_BYTES} bytes.", field="file"
            )
        except _FormProblem as problem:
            return _error(400, "INVALID_INPUT", str(problem), field="file")
        try:
            parsed = parse_minutes_csv(data)
        except MinutesFileError as exc:
            where = [] if exc.line is None else [{"line": exc.line, "column": exc.column}]
            return _error(
                400,
                "INVALID_INPUT",
                f"{exc.message}.",
                field=exc.column,
                rows=[{**w, "message": exc.message} for w in where] or None,
            )
        command = RecordMinutes(
            cycle=name,
            cds_code=cds,
            entries=parsed.entries,
            found_before=parsed.problems,
            limit_to_sample=False,
            source="csv",
        )
        outcome = await record_minutes(principal, command, clock())
        if outcome.errors:
            error = outcome.errors[0]
            if error.code is ErrorCode.NOT_FOUND:
                return _error(*NOT_FOUND)
            return _error(422, error.code.value, error.message)
        if outcome.problems:
            rows = [parsed.row_error(problem) for problem in outcome.problems]
            return _error(
                422,
                "INVALID_INPUT",
                f"{len({row.line for row in rows})} row(s) refused; nothing was changed.",
                rows=[
                    {"line": row.line, "column": row.column, "message": row.reason} for row in rows
                ],
            )
        membership = outcome.membership
        assert membership is not None
        lea_id: int = membership.lea_id
        counts = (await derived_counts(membership.cycle_id, [lea_id]))[lea_id]
        return JSONResponse(
            {
                "cycle": name,
                "lea": cds,
                "rows": len(parsed.entries),
                "notes": parsed.notes,
                "recorded": outcome.recorded,
                "cleared": outcome.cleared,
                "worksheet": {
                    "sampled": counts.sampled,
                    "missing": counts.missing,
                    "countA": counts.count_a,
                    "countB": counts.count_b,
                    "countC": counts.count_c,
                    "complete": counts.complete,
                },
            }
        )

    return [Route("/imports/{cycle}/minutes.csv", minutes_csv, methods=["POST"])]
