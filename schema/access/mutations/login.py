"""``login(accessCode)``: exchange an access code for a bearer token."""

from __future__ import annotations

from datetime import datetime

import strawberry

from resolvers.access.login import LoginPolicy, login
from schema.access.viewer import Viewer
from schema.shared.context import Info
from schema.shared.user_errors import UserError, user_errors


@strawberry.type
class LoginPayload:
    token: str | None = strawberry.field(description="Send as `Authorization: Bearer <token>`.")
    expires_at: datetime | None
    viewer: Viewer | None
    user_errors: list[UserError]


async def resolve_login(info: Info, access_code: str) -> LoginPayload:
    settings = info.context.settings
    policy = LoginPolicy(
        secret_key=settings.secret_key,
        lifetime_minutes=settings.session_lifetime_minutes,
        failure_limit=settings.login_failure_limit,
        failure_window_minutes=settings.login_failure_window_minutes,
    )
    result = await login(access_code, info.context.client_address, info.context.clock(), policy)
    return LoginPayload(
        token=result.token,
        expires_at=result.expires_at,
        viewer=Viewer(principal=result.principal) if result.principal else None,
        user_errors=user_errors(result.errors),
    )


login_field = strawberry.mutation(resolve_login, name="login")
