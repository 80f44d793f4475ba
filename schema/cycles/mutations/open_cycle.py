"""``openCycle``: DRAFT → OPEN."""

from __future__ import annotations

import strawberry

from resolvers.cycles.open_cycle import open_cycle
from schema.cycles.mutations.payload import CyclePayload
from schema.shared.context import Info
from schema.shared.permissions import AdministersCycles


async def resolve_open_cycle(info: Info, name: str) -> CyclePayload:
    principal = info.context.require_principal()
    return CyclePayload.of(await open_cycle(principal, name, info.context.clock()))


open_cycle_field = strawberry.mutation(
    resolve_open_cycle,
    name="openCycle",
    permission_classes=[AdministersCycles],
    description="Open a DRAFT cycle once every required LEA has a SELPA and a sample: CDE_ADMIN.",
)
