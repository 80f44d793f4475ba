"""``POST /imports/{cycle}/minutes.csv?lea=CDS``: upload worksheet minutes (SPEC §3.9, §10).

The body is the CSV itself (``text/csv``, UTF-8 with or without BOM, at most 1 MiB). The file
is all or nothing; failures answer with the failure table's statuses: 401 no or dead token,
400 malformed argument or unreadable file, 404 missing or another tenant's LEA, 403 role,
413 too large, 415 not CSV, 422 business rule (the blocking state error, or every bad row by
line and column). An accepted file answers 200 with a JSON summary.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kernel.clock import Clock
from kernel.errors import ErrorCode, Forbidden
from kernel.settings import Settings
from models.access.permits import ENTER_COUNTS
from models.shared import identifiers as formats
from models.worksheet.minutes_csv import MinutesFileError, parse_minutes_csv
from resolvers.submissions import target as submission_target
from resolvers.worksheet.counts import derived_counts
from resolvers.worksheet.record_minutes import RecordMinutes, record_minutes
from web.csv.errors import NOT_FOUND, SIGN_IN
from web.csv.errors import csv_error as _error
from web.graphql_view import build_context

MAX_UPLOAD_BYTES = 1_048_576
CSV_TYPES = frozenset({"text/csv", "application/csv", "text/plain", "application/octet-stream"})


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


def _is_csv(request: Request) -> bool:
    media = request.headers.get("content-type", "text/csv").split(";")[0].strip().lower()
    return media in CSV_TYPES


def import_routes(settings: Settings, clock: Clock) -> list[Route]:
    async def minutes_csv(request: Request) -> Response:
        context = await build_context(request, settings, clock)
        principal = context.principal
        if principal is None:
            return _error(*SIGN_IN)
        name = request.path_params["cycle"]
        cds = request.query_params.get("lea") or (principal.scope_code if principal.lea_id else "")
        if problem := formats.cycle_name_problem(name):
            return _error(400, "INVALID_INPUT", formats.field_message("cycle", problem), "cycle")
        if problem := formats.cds_code_problem(cds):
            return _error(400, "INVALID_INPUT", formats.field_message("lea", problem), field="lea")
        try:
            found = await submission_target.find_target(principal, name, cds, ENTER_COUNTS)
        except Forbidden as refusal:
            return _error(403, "FORBIDDEN", refusal.message)
        if not isinstance(found, submission_target.Target):
            return _error(*NOT_FOUND)
        if not _is_csv(request):
            return _error(415, "INVALID_INPUT", "Send the file as text/csv.", field="file")
        try:
            data = await _body(request)
        except _TooLarge:
            return _error(
                413, "INVALID_INPUT", f"The file is over {MAX_UPLOAD_BYTES} bytes.", field="file"
            )
        try:
            parsed = parse_minutes_csv(data)
        except MinutesFileError as exc:
            return _error(400, "INVALID_INPUT", f"{exc.message}.", field=exc.column)
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
