"""Root fields ``cycles`` and ``cycle``."""

from __future__ import annotations

import strawberry

from resolvers import arguments, directory_queries, scope
from schema.context import Info
from schema.types.cycle import Cycle


@strawberry.type
class CycleQueries:
    @strawberry.field(description="Cycles the caller may see, newest first (anonymous: all).")
    async def cycles(self, info: Info) -> list[Cycle]:
        rows = await scope.cycles(info.context.principal).order_by("-name")
        return [Cycle(row=row) for row in rows]

    @strawberry.field
    async def cycle(self, info: Info, name: str) -> Cycle | None:
        arguments.cycle_name(name, "name")
        row = await directory_queries.find_cycle(info.context.principal, name)
        return Cycle(row=row) if row else None
