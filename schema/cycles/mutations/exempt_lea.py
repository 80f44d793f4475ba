"""``exemptLea``: CDE records an LEA as not required this cycle, with a reason."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.cycles.exempt_lea import ExemptLea, exempt_lea
from schema.directory.types import Lea, leas_by_membership
from schema.shared import descriptions as doc
from schema.shared.context import Info
from schema.shared.permissions import Authenticated
from schema.shared.user_errors import UserError, user_errors


@strawberry.input(description="The LEA to exempt from a cycle, and the recorded reason.")
class ExemptLeaInput:
    cycle: str = strawberry.field(description=doc.CYCLE)
    cds_code: str = strawberry.field(description=doc.CDS_CODE)
    reason: str = strawberry.field(
        description="Why the LEA needs no submission this cycle, 1 to 200 characters; recorded."
    )


@strawberry.type(description="The exempted LEA, or why it was refused.")
class ExemptLeaPayload:
    lea: Lea | None = strawberry.field(description="The LEA as it now stands; null if refused.")
    user_errors: list[UserError] = strawberry.field(description=doc.USER_ERRORS)


async def resolve_exempt_lea(
    info: Info,
    input: Annotated[ExemptLeaInput, strawberry.argument(description="The LEA and the reason.")],
) -> ExemptLeaPayload:
    principal = info.context.require_principal()
    outcome = await exempt_lea(
        principal, ExemptLea(input.cycle, input.cds_code, input.reason), info.context.clock()
    )
    row = outcome.membership
    return ExemptLeaPayload(
        lea=(await leas_by_membership([row]))[0] if row else None,
        user_errors=user_errors(outcome.errors),
    )


exempt_lea_field = strawberry.mutation(
    resolve_exempt_lea,
    name="exemptLea",
    permission_classes=[Authenticated],
    description="Record an LEA as exempt (not required) in a DRAFT or OPEN cycle, with a "
    "reason: CDE_ADMIN. The only way besides the directory's swd_count 0 or exempt_reason "
    "columns; an LEA is never exempt for lack of roster rows.",
)
