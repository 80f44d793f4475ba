"""``closeCycle``: OPEN → CLOSED."""

from __future__ import annotations

import strawberry

from resolvers.cycles.close_cycle import close_cycle
from schema.cycles.mutations.payload import CyclePayload
from schema.shared.context import Info
from schema.shared.permissions import AdministersCycles


async def resolve_close_cycle(info: Info, name: str) -> CyclePayload:
    principal = info.context.require_principal()
    return CyclePayload.of(await close_cycle(principal, name, info.context.clock()))


close_cycle_field = strawberry.mutation(
    resolve_close_cycle,
    name="closeCycle",
    permission_classes=[AdministersCycles],
    description="Close an OPEN cycle; it is read-only afterwards: CDE_ADMIN.",
)
