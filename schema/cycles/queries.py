"""Root fields ``cycles`` and ``cycle``."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.cycles import cycle_reads
from resolvers.directory import queries as directory_queries
from resolvers.shared import arguments
from schema.cycles.types import COLUMNS, Cycle
from schema.shared import descriptions as doc
from schema.shared.context import Info


@strawberry.type
class CycleQueries:
    @strawberry.field(description="Cycles the caller may see, newest first (anonymous: all).")
    async def cycles(self, info: Info) -> list[Cycle]:
        rows = await cycle_reads.visible_cycles(info.context.principal, COLUMNS)
        return [Cycle.of_values(row) for row in rows]

    @strawberry.field(
        description="One cycle by name; null when there is none or it is not the caller's."
    )
    async def cycle(
        self, info: Info, name: Annotated[str, strawberry.argument(description=doc.CYCLE)]
    ) -> Cycle | None:
        arguments.cycle_name(name, "name")
        row = await directory_queries.find_cycle(info.context.principal, name)
        return Cycle.of(row) if row else None
