"""``grantExtension``: CDE moves one LEA's due time later."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from resolvers.submissions.grant_extension import GrantExtension, grant_extension
from schema.shared import descriptions as doc
from schema.shared.context import Info
from schema.shared.permissions import Authenticated
from schema.submissions.mutations.payload import SubmissionPayload


@strawberry.input(description="The LEA whose due time moves later, and its new due time.")
class GrantExtensionInput:
    cycle: str = strawberry.field(description=doc.CYCLE)
    cds_code: str = strawberry.field(description=doc.CDS_CODE)
    due_at: datetime = strawberry.field(
        description="The new due instant with an explicit offset, later than the current one."
    )


async def resolve_grant_extension(
    info: Info,
    input: Annotated[
        GrantExtensionInput,
        strawberry.argument(description="The LEA and its new due time."),
    ],
) -> SubmissionPayload:
    command = GrantExtension(cycle=input.cycle, cds_code=input.cds_code, due_at=input.due_at)
    principal = info.context.require_principal()
    return SubmissionPayload.of(await grant_extension(principal, command, info.context.clock()))


grant_extension_field = strawberry.mutation(
    resolve_grant_extension,
    name="grantExtension",
    permission_classes=[Authenticated],
    description="Extend one LEA's due time: CDE_ADMIN.",
)
