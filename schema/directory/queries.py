"""Root fields ``selpa``, ``lea`` and ``leas``."""

from __future__ import annotations

import strawberry

from models.shared.enums import SubmissionStatus
from resolvers.directory import queries as directory_queries
from resolvers.shared import arguments
from schema.directory.lookups import cycle_id_of, find_lea
from schema.directory.types import Lea, Selpa, lea_connection
from schema.shared.context import Info
from schema.shared.pagination import Connection
from schema.shared.permissions import Authenticated


@strawberry.type
class DirectoryQueries:
    @strawberry.field(permission_classes=[Authenticated])
    async def selpa(self, info: Info, cycle: str, code: str) -> Selpa | None:
        arguments.selpa_code(code)
        cycle_id = await cycle_id_of(info, cycle)
        if cycle_id is None:
            return None
        principal = info.context.require_principal()
        row = await directory_queries.find_selpa(principal, cycle_id, code)
        return Selpa(row=row, cycle_id=cycle_id) if row else None

    @strawberry.field(permission_classes=[Authenticated])
    async def lea(self, info: Info, cycle: str, cds_code: str) -> Lea | None:
        return await find_lea(info, cycle, cds_code)

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
        cycle_id = await cycle_id_of(info, cycle) or -1
        selpa_id: int | None = None
        if selpa_code is not None:
            principal = info.context.require_principal()
            selpa = await directory_queries.find_selpa(principal, cycle_id, selpa_code)
            selpa_id = selpa.id if selpa else -1
        return await lea_connection(info, cycle_id, selpa_id, status, first, after)
