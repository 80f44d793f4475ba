"""``drawAuditSelection(cycle)``: the once-per-cycle 10 % audit draw (CDE_ADMIN)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from models.shared.deadlines import to_pacific
from resolvers.audit.draw_audit_selection import draw_audit_selection
from schema.directory.types import Lea, leas_by_membership
from schema.shared import descriptions as doc
from schema.shared.context import Info
from schema.shared.permissions import CdeAdminOnly
from schema.shared.user_errors import UserError, user_errors


@strawberry.type(
    description="The audit draw: the selected LEAs and its seed, or why it was refused."
)
class AuditSelectionPayload:
    selected: list[Lea] = strawberry.field(description="The selected LEAs in rank order.")
    seed: str | None = strawberry.field(description="The audit seed; the draw can be redone.")
    drawn_at: datetime | None = strawberry.field(
        description="When the draw was made (Pacific time); null when refused."
    )
    waiting_for_extension: list[str] = strawberry.field(
        description="CDS codes of required LEAs not submitted whose extension still runs: they "
        "could not be drawn."
    )
    user_errors: list[UserError] = strawberry.field(description=doc.USER_ERRORS)


async def resolve_draw_audit_selection(
    info: Info, cycle: Annotated[str, strawberry.argument(description=doc.CYCLE)]
) -> AuditSelectionPayload:
    principal = info.context.require_principal()
    result = await draw_audit_selection(
        principal, cycle, info.context.clock(), client_address=info.context.client_address
    )
    return AuditSelectionPayload(
        selected=await leas_by_membership(result.selected),
        seed=result.seed,
        drawn_at=to_pacific(result.drawn_at) if result.drawn_at else None,
        waiting_for_extension=result.waiting,
        user_errors=user_errors(result.errors),
    )


draw_audit_selection_field = strawberry.mutation(
    resolve_draw_audit_selection,
    name="drawAuditSelection",
    permission_classes=[CdeAdminOnly],
    description="Draw ⌈10 %⌉ of the required LEAs that submitted (exempt LEAs apart), once per "
    "cycle, after its due time: CDE_ADMIN.",
)
