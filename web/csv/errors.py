"""The one error body of the CSV routes beside ``/graphql`` (SPEC §10's failure table).

Every refusal answers ``{"error": {"code": …, "message": …}}`` with the HTTP status, plus
``field`` when one argument is at fault and ``rows`` (line, column, message) when a file's rows
are; a 401 also carries ``WWW-Authenticate: Bearer``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.responses import JSONResponse

SIGN_IN = (401, "UNAUTHENTICATED", "Sign in with an access code first.")
NOT_FOUND = (404, "NOT_FOUND", "There is no such record.")


def csv_error(
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    *,
    rows: Sequence[dict[str, Any]] | None = None,
) -> JSONResponse:
    body: dict[str, object] = {"code": code, "message": message}
    if field:
        body["field"] = field
    if rows is not None:
        body["rows"] = list(rows)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"error": body}, status_code=status, headers=headers)
