"""``logout``: end the caller's session."""

from __future__ import annotations

import strawberry

from resolvers.access.logout import logout
from schema.shared.context import Info
from schema.shared.permissions import Authenticated
from schema.shared.user_errors import UserError


@strawberry.type(description="The result of logout.")
class LogoutPayload:
    ok: bool = strawberry.field(
        description="True when a live session was ended; false if none was."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Always empty: logout has no business-rule refusal."
    )


async def resolve_logout(info: Info) -> LogoutPayload:
    principal = info.context.require_principal()
    ended = await logout(principal, info.context.clock(), info.context.client_address)
    return LogoutPayload(ok=ended, user_errors=[])


logout_field = strawberry.mutation(
    resolve_logout,
    name="logout",
    permission_classes=[Authenticated],
    description="End the caller's session: its bearer token stops working at once.",
)
