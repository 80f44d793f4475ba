"""Root fields ``viewer``, ``selpa``, ``lea``, ``leas`` and ``submission``."""

from __future__ import annotations

import strawberry

from models.enums import SubmissionStatus
from resolvers import arguments, directory_queries
from schema.context import Info
from schema.pagination import Connection
from schema.permissions import Authenticated
from schema.types.directory import Lea, Selpa, lea_connection, submission_of
from schema.types.submission import Submission
from schema.types.viewer import Viewer


async def _cycle_id(info: Info, cycle: str) -> int | None:
    arguments.cycle_name(cycle)
    row = await directory_queries.find_cycle(info.context.require_principal(), cycle)
    return row.id if row else None


async def _find_lea(info: Info, cycle: str, cds_code: str) -> Lea | None:
    arguments.cds_code(cds_code)
    cycle_id = await _cycle_id(info, cycle)
    if cycle_id is None:
        return None
    row = await directory_queries.find_membership(
        info.context.require_principal(), cycle_id, cds_code
    )
    return Lea(row=row) if row else None


@strawberry.type
class DirectoryQueries:
    @strawberry.field(description="The caller's role and scope; null when anonymous.")
    def viewer(self, info: Info) -> Viewer | None:
        principal = info.context.principal
        return Viewer(principal=principal) if principal else None

    @strawberry.field(permission_classes=[Authenticated])
    async def selpa(self, info: Info, cycle: str, code: str) -> Selpa | None:
        arguments.selpa_code(code)
        cycle_id = await _cycle_id(info, cycle)
        if cycle_id is None:
            return None
        principal = info.context.require_principal()
        row = await directory_queries.find_selpa(principal, cycle_id, code)
        return Selpa(row=row, cycle_id=cycle_id) if row else None

    @strawberry.field(permission_classes=[Authenticated])
    async def lea(self, info: Info, cycle: str, cds_code: str) -> Lea | None:
        return await _find_lea(info, cycle, cds_code)

    @strawberry.field(permission_classes=[Authenticated])
    async def leas(
        self,
        info: Info,
        cycle: str,
        selpa_code: str | None = None,
        status: SubmissionStatus | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Lea]:
        if selpa_code is not None:
            arguments.selpa_code(selpa_code, "selpaCode")
        cycle_id = await _cycle_id(info, cycle) or -1
        selpa_id: int | None = None
        if selpa_code is not None:
            principal = info.context.require_principal()
            selpa = await directory_queries.find_selpa(principal, cycle_id, selpa_code)
            selpa_id = selpa.id if selpa else -1
        return await lea_connection(info, cycle_id, selpa_id, status, first, after)

    @strawberry.field(permission_classes=[Authenticated])
    async def submission(self, info: Info, cycle: str, cds_code: str) -> Submission | None:
        lea = await _find_lea(info, cycle, cds_code)
        return await submission_of(info, lea.row) if lea else None
