"""``logout``: end the caller's session."""

from __future__ import annotations

import strawberry

from resolvers.access.logout import logout
from schema.shared.context import Info
from schema.shared.permissions import Authenticated
from schema.shared.user_errors import UserError


@strawberry.type
class LogoutPayload:
    ok: bool
    user_errors: list[UserError]


async def resolve_logout(info: Info) -> LogoutPayload:
    principal = info.context.require_principal()
    ended = await logout(principal, info.context.clock(), info.context.client_address)
    return LogoutPayload(ok=ended, user_errors=[])


logout_field = strawberry.mutation(
    resolve_logout, name="logout", permission_classes=[Authenticated]
)
