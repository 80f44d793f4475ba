"""``openCycle``: DRAFT → OPEN."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.cycles.open_cycle import open_cycle
from schema.cycles.mutations.payload import CyclePayload
from schema.shared import descriptions as doc
from schema.shared.context import Info
from schema.shared.permissions import Authenticated


async def resolve_open_cycle(
    info: Info, name: Annotated[str, strawberry.argument(description=doc.CYCLE)]
) -> CyclePayload:
    principal = info.context.require_principal()
    return CyclePayload.of(await open_cycle(principal, name, info.context.clock()))


open_cycle_field = strawberry.mutation(
    resolve_open_cycle,
    name="openCycle",
    permission_classes=[Authenticated],
    description="Open a DRAFT cycle once every required LEA has a SELPA and a sample: CDE_ADMIN.",
)
