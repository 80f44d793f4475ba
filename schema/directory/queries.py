"""Root fields ``selpa``, ``lea`` and ``leas``."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.shared.enums import SubmissionStatus
from resolvers.directory import queries as directory_queries
from resolvers.shared import arguments
from schema.directory.lookups import cycle_id_of, find_lea
from schema.directory.types import Lea, Selpa, lea_connection
from schema.shared import descriptions as doc
from schema.shared.context import Info
from schema.shared.pagination import Connection
from schema.shared.permissions import Authenticated


@strawberry.type
class DirectoryQueries:
    @strawberry.field(
        permission_classes=[Authenticated],
        description="A SELPA in a cycle; null when it does not exist or is outside the "
        "caller's scope.",
    )
    async def selpa(
        self,
        info: Info,
        cycle: Annotated[str, strawberry.argument(description=doc.CYCLE)],
        code: Annotated[str, strawberry.argument(description=doc.SELPA_CODE)],
    ) -> Selpa | None:
        arguments.selpa_code(code)
        cycle_id = await cycle_id_of(info, cycle)
        if cycle_id is None:
            return None
        principal = info.context.require_principal()
        row = await directory_queries.find_selpa(principal, cycle_id, code)
        return Selpa.of(row, cycle_id) if row else None

    @strawberry.field(
        permission_classes=[Authenticated],
        description="An LEA in a cycle; null when it does not exist or is outside the "
        "caller's scope.",
    )
    async def lea(
        self,
        info: Info,
        cycle: Annotated[str, strawberry.argument(description=doc.CYCLE)],
        cds_code: Annotated[str, strawberry.argument(description=doc.CDS_CODE)],
    ) -> Lea | None:
        return await find_lea(info, cycle, cds_code)

    @strawberry.field(
        permission_classes=[Authenticated],
        description="The LEAs of a cycle within the caller's scope, in CDS-code order.",
    )
    async def leas(
        self,
        info: Info,
        cycle: Annotated[str, strawberry.argument(description=doc.CYCLE)],
        selpa_code: Annotated[
            str | None,
            strawberry.argument(description="Only the LEAs of this 4-digit SELPA code."),
        ] = None,
        status: Annotated[
            SubmissionStatus | None,
            strawberry.argument(description="Only required LEAs whose submission has this status."),
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=doc.FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=doc.AFTER)] = None,
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
