"""``POST /imports/{cycle}/roster.csv``: CDE loads the roster of LEAs without a sample yet.

While a cycle is OPEN this is how the roster of an LEA added late reaches the service (the same
use case as ``iepimp import roster``): rows of LEAs that already have a sample are refused by
line, nothing else changes, and the LEA's sample is drawn next (``iepimp draw-sample``). The
body is the roster CSV itself (UTF-8, the columns of the roster file), at most 64 MiB, written
to a temporary file while it is read. Answers: 401 no or dead token, 403 not a CDE
administrator, 400 malformed cycle, 413 too large, 415 not CSV, 422 the file refused (every bad
row by line and column; nothing changed), 200 a JSON summary.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kernel.clock import Clock
from kernel.settings import Settings
from models.access.permits import CDE_ADMINISTRATION
from resolvers.directory.import_file import ImportRefused
from resolvers.directory.import_roster import import_roster
from web.csv.arguments import caller, cycle_named
from web.csv.errors import csv_error as _error

MAX_ROSTER_BYTES = 64 * 1_048_576
CSV_TYPES = frozenset(
    {
        "text/csv",
        "application/csv",
        "text/plain",
        "application/vnd.ms-excel",
        "application/octet-stream",
    }
)


class _TooLarge(Exception):
    pass


async def _spool(request: Request, folder: Path) -> Path:
    """Write the body to a file in ``folder``, refusing it once it passes the limit."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_ROSTER_BYTES:
        raise _TooLarge
    path = folder / "roster.csv"
    size = 0
    with path.open("wb") as out:
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_ROSTER_BYTES:
                raise _TooLarge
            out.write(chunk)
    return path


def roster_upload_routes(settings: Settings, clock: Clock) -> list[Route]:
    async def roster_csv(request: Request) -> Response:
        principal = await caller(request, settings, clock, CDE_ADMINISTRATION)
        if isinstance(principal, Response):
            return principal
        name = cycle_named(request)
        if isinstance(name, Response):
            return name
        media = request.headers.get("content-type", "text/csv").split(";")[0].strip().lower()
        if media not in CSV_TYPES:
            return _error(415, "INVALID_INPUT", "Send the roster as text/csv.", field="file")
        with tempfile.TemporaryDirectory(prefix="iepimp-roster-") as folder:
            try:
                path = await _spool(request, Path(folder))
            except _TooLarge:
                return _error(
                    413, "INVALID_INPUT", f"The file is over {MAX_ROSTER_BYTES} bytes.", "file"
                )
            try:
                result = await import_roster(name, path, clock())
            except ImportRefused as refused:
                return _error(
                    422,
                    "INVALID_INPUT",
                    f"{len(refused.errors)} error(s); nothing was changed.",
                    rows=[
                        {"line": e.line, "column": e.column, "message": e.reason}
                        for e in refused.errors
                    ],
                )
        return JSONResponse(
            {
                "cycle": name,
                "rows": result.rows,
                "inserted": result.inserted,
                "updated": result.updated,
                "deleted": result.deleted,
                "leasChanged": result.leas_changed,
            }
        )

    return [Route("/imports/{cycle}/roster.csv", roster_csv, methods=["POST"])]
