"""The cycle and LEA a CSV route names: ``/{cycle}/…?lea=CDS`` (an LEA's own code may omit it)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from models.shared import identifiers as formats
from resolvers.shared.principal import Principal
from web.csv.errors import csv_error


def cycle_and_lea(request: Request, principal: Principal) -> tuple[str, str] | Response:
    """The cycle name and CDS code, or the 400 that names the malformed one."""
    name = request.path_params["cycle"]
    cds = request.query_params.get("lea") or (principal.scope_code if principal.lea_id else "")
    if problem := formats.cycle_name_problem(name):
        return csv_error(400, "INVALID_INPUT", formats.field_message("cycle", problem), "cycle")
    if problem := formats.cds_code_problem(cds):
        return csv_error(400, "INVALID_INPUT", formats.field_message("lea", problem), "lea")
    return name, cds
