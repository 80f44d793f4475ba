"""``closeCycle``: OPEN → CLOSED."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.cycles.close_cycle import close_cycle
from schema.cycles.mutations.payload import CyclePayload
from schema.shared import descriptions as doc
from schema.shared.context import Info
from schema.shared.permissions import Authenticated


async def resolve_close_cycle(
    info: Info,
    name: Annotated[str, strawberry.argument(description=doc.CYCLE)],
    force: Annotated[
        bool,
        strawberry.argument(
            description="Close although LEAs still have an extension or resubmission grace "
            "running or a submission waiting for review; needs a reason."
        ),
    ] = False,
    reason: Annotated[
        str | None,
        strawberry.argument(description="Why the cycle is forced closed; recorded in the log."),
    ] = None,
) -> CyclePayload:
    principal = info.context.require_principal()
    return CyclePayload.of(
        await close_cycle(principal, name, info.context.clock(), force=force, reason=reason)
    )


close_cycle_field = strawberry.mutation(
    resolve_close_cycle,
    name="closeCycle",
    permission_classes=[Authenticated],
    description="Close an OPEN cycle; it is read-only afterwards: CDE_ADMIN. Refused "
    "(INVALID_STATE, naming the LEAs) while extensions or resubmission grace periods still run "
    "or submissions wait for review, unless force is true with a reason.",
)
