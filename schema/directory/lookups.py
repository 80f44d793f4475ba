"""The cycle and the LEA a root field names, as the caller's scope shows them."""

from __future__ import annotations

from resolvers.directory import queries as directory_queries
from resolvers.shared import arguments
from schema.directory.types import Lea, leas_of
from schema.shared.context import Info


async def cycle_id_of(info: Info, cycle: str) -> int | None:
    arguments.cycle_name(cycle)
    row = await directory_queries.find_cycle(info.context.require_principal(), cycle)
    return row.id if row else None


async def find_lea(info: Info, cycle: str, cds_code: str) -> Lea | None:
    arguments.cds_code(cds_code)
    cycle_id = await cycle_id_of(info, cycle)
    if cycle_id is None:
        return None
    row = await directory_queries.find_lea_values(
        info.context.require_principal(), cycle_id, cds_code
    )
    return (await leas_of([row]))[0] if row else None
