"""Who calls a CSV route, and the cycle and LEA it names: ``/{cycle}/…?lea=CDS`` (an LEA's own
code may omit the LEA)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kernel.clock import Clock
from kernel.errors import Forbidden
from kernel.settings import Settings
from models.access.permits import Permit
from models.shared import identifiers as formats
from resolvers.shared.principal import Principal
from resolvers.shared.scope import authorize
from web.csv.errors import SIGN_IN, csv_error
from web.graphql_view import build_context


async def caller(
    request: Request, settings: Settings, clock: Clock, permit: Permit | None = None
) -> Principal | Response:
    """The signed-in caller (holding ``permit`` when one is named), or the 401 or 403."""
    principal = (await build_context(request, settings, clock)).principal
    if principal is None:
        return csv_error(*SIGN_IN)
    if permit is not None:
        try:
            authorize(principal, permit)
        except Forbidden as refusal:
            return csv_error(403, "FORBIDDEN", refusal.message)
    return principal


def cycle_named(request: Request) -> str | Response:
    """The cycle name of the path, or the 400 that says why it is malformed."""
    name: str = request.path_params["cycle"]
    if problem := formats.cycle_name_problem(name):
        return csv_error(400, "INVALID_INPUT", formats.field_message("cycle", problem), "cycle")
    return name


def cycle_and_lea(request: Request, principal: Principal) -> tuple[str, str] | Response:
    """The cycle name and CDS code, or the 400 that names the malformed one."""
    name = cycle_named(request)
    if isinstance(name, Response):
        return name
    cds = request.query_params.get("lea") or (principal.scope_code if principal.lea_id else "")
    if problem := formats.cds_code_problem(cds):
        return csv_error(400, "INVALID_INPUT", formats.field_message("lea", problem), "lea")
    return name, cds
