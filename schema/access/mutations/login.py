"""``login(accessCode)``: exchange an access code for a bearer token."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from resolvers.access.login import LoginPolicy, login
from schema.access.viewer import Viewer
from schema.shared import descriptions as doc
from schema.shared.context import Info
from schema.shared.user_errors import UserError, user_errors


@strawberry.type(
    description="The result of login: a bearer token and who it signs in as, or why not."
)
class LoginPayload:
    token: str | None = strawberry.field(description="Send as `Authorization: Bearer <token>`.")
    expires_at: datetime | None = strawberry.field(
        description="When the session ends at the latest; it ends sooner after the idle timeout."
    )
    viewer: Viewer | None = strawberry.field(
        description="Who the token signs in as; null when refused."
    )
    user_errors: list[UserError] = strawberry.field(description=doc.USER_ERRORS)


async def resolve_login(
    info: Info,
    access_code: Annotated[
        str,
        strawberry.argument(
            description="The 16-symbol access code; case, dashes and spaces do not matter."
        ),
    ],
) -> LoginPayload:
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


login_field = strawberry.mutation(
    resolve_login,
    name="login",
    description="Exchange an access code for a bearer token; failed attempts are throttled per "
    "client address (RATE_LIMITED).",
)
