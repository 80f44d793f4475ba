"""The typed request context and the ``Info`` alias every resolver takes."""

from __future__ import annotations

from dataclasses import dataclass, field

import strawberry
from starlette.requests import Request
from starlette.responses import Response

from kernel.clock import Clock
from kernel.errors import Unauthenticated
from kernel.settings import Settings
from kernel.telemetry import Telemetry
from resolvers.shared.principal import Principal
from schema.shared.loaders import Loaders


@dataclass
class Context:
    settings: Settings
    clock: Clock
    principal: Principal | None = None
    client_address: str = ""
    token_rejected: bool = False
    request: Request | None = None
    response: Response | None = None
    loaders: Loaders = field(default_factory=Loaders)
    telemetry: Telemetry | None = None
    encoded_answers: bool = False
    """True when the caller sends results as JSON as they are (the HTTP view): stored answers
    may then be handed out already encoded."""
    report_epoch: str | None = None
    """The report epoch token read with the caller's session, before anything ran. None: not
    read, unknown, or already taken by the request's first operation; the report store then
    reads it itself."""

    def require_principal(self) -> Principal:
        if self.principal is None:
            raise Unauthenticated(
                "Your session has ended; sign in again."
                if self.token_rejected
                else "Sign in with an access code to see this."
            )
        return self.principal


Info = strawberry.Info[Context, None]
