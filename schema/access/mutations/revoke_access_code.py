"""``revokeAccessCode``: the code stops working and its sessions end (CDE_ADMIN)."""

from __future__ import annotations

import strawberry

from resolvers.access.revoke_access_code import revoke_access_code
from schema.access.types import AccessCodeInfo
from schema.shared.context import Info
from schema.shared.permissions import CdeAdminOnly
from schema.shared.user_errors import UserError, user_errors


@strawberry.input
class RevokeAccessCodeInput:
    id: strawberry.ID = strawberry.field(description="The id of an AccessCodeInfo.")


@strawberry.type
class RevokeAccessCodePayload:
    code: AccessCodeInfo | None
    sessions_ended: int
    user_errors: list[UserError]


async def resolve_revoke_access_code(
    info: Info, input: RevokeAccessCodeInput
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
)
