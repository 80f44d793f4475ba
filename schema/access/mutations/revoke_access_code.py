"""``revokeAccessCode``: the code stops working and its sessions end (CDE_ADMIN)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.access.revoke_access_code import revoke_access_code
from schema.access.types import AccessCodeInfo
from schema.shared import descriptions as doc
from schema.shared.context import Info
from schema.shared.permissions import CdeAdminOnly
from schema.shared.user_errors import UserError, user_errors


@strawberry.input(description="The access code to revoke.")
class RevokeAccessCodeInput:
    id: strawberry.ID = strawberry.field(description="The id of an AccessCodeInfo.")


@strawberry.type(
    description="The revoked code and the sessions its revocation ended, or why it was refused."
)
class RevokeAccessCodePayload:
    code: AccessCodeInfo | None = strawberry.field(
        description="The code as it now stands; null when there is no such code."
    )
    sessions_ended: int = strawberry.field(
        description="Number of the code's live sessions that this revocation ended."
    )
    user_errors: list[UserError] = strawberry.field(description=doc.USER_ERRORS)


async def resolve_revoke_access_code(
    info: Info,
    input: Annotated[RevokeAccessCodeInput, strawberry.argument(description="The code to revoke.")],
) -> RevokeAccessCodePayload:
    principal = info.context.require_principal()
    result = await revoke_access_code(
        principal, str(input.id), info.context.clock(), client_address=info.context.client_address
    )
    return RevokeAccessCodePayload(
        code=AccessCodeInfo(row=result.code) if result.code else None,
        sessions_ended=result.sessions_ended,
        user_errors=user_errors(result.errors),
    )


revoke_access_code_field = strawberry.mutation(
    resolve_revoke_access_code,
    name="revokeAccessCode",
    permission_classes=[CdeAdminOnly],
    description="Revoke an access code at once and end every session it opened: CDE_ADMIN.",
)
