"""Root fields ``viewer`` (anyone) and ``accessCodes`` (CDE_ADMIN: issued codes by id, never
their values)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from kernel.errors import InvalidInput
from models.shared.identifiers import is_ascii_digits
from resolvers.access.code_queries import access_code_page
from resolvers.shared import arguments
from schema.access.types import AccessCodeInfo
from schema.access.viewer import Viewer
from schema.shared import descriptions as doc
from schema.shared.context import Info
from schema.shared.pagination import Connection, connection
from schema.shared.permissions import CdeAdminOnly


@strawberry.type
class ViewerQueries:
    @strawberry.field(description="The caller's role and scope; null when anonymous.")
    def viewer(self, info: Info) -> Viewer | None:
        principal = info.context.principal
        return Viewer(principal=principal) if principal else None


@strawberry.type
class AccessCodeQueries:
    @strawberry.field(
        permission_classes=[CdeAdminOnly],
        description="Issued access codes in issue order; filter by cycle and SELPA/CDS code: "
        "CDE_ADMIN.",
    )
    async def access_codes(
        self,
        info: Info,
        cycle: Annotated[
            str | None, strawberry.argument(description="Only codes of this cycle, e.g. 2024-25.")
        ] = None,
        scope: Annotated[
            str | None,
            strawberry.argument(
                description="Only codes of this 4-digit SELPA code or 14-digit CDS code."
            ),
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=doc.FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=doc.AFTER)] = None,
    ) -> Connection[AccessCodeInfo]:
        if cycle is not None:
            arguments.cycle_name(cycle)
        if scope is not None and not (len(scope) == 4 and is_ascii_digits(scope)):
            arguments.cds_code(scope, "scope")
        size = arguments.page_size(first)
        key = arguments.decode_cursor("code", after)
        if key is not None and not is_ascii_digits(key):
            raise InvalidInput("after", "after is not a cursor this list gave out.")
        page = await access_code_page(
            cycle, scope, first=size, after=int(key) if key is not None else None
        )

        async def total() -> int:
            return page.total

        return connection(
            [AccessCodeInfo(row=row) for row in page.rows],
            [arguments.encode_cursor("code", str(row.id)) for row in page.rows],
            page.has_next,
            total,
        )
