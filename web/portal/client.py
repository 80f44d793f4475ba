"""Run the portal's named operations through the public schema as the signed-in caller."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import strawberry
from starlette.requests import Request

from kernel.clock import Clock
from kernel.settings import Settings
from schema.engine.engine_errors import classify
from web.graphql_view import build_context
from web.portal.session import SESSION_COOKIE

OPERATIONS = Path(__file__).with_name("operations")


@cache
def document(name: str) -> str:
    """The text of ``operations/<name>.graphql``: the only GraphQL a page may send."""
    path = OPERATIONS / f"{name}.graphql"
    if not name.isidentifier() or not path.is_file():
        raise KeyError(name)
    return path.read_text(encoding="utf-8")


class SignInRequired(Exception):
    """The session is missing or has ended: the page sends the caller to the logon page."""


@dataclass
class Answer:
    data: dict[str, Any]
    errors: list[dict[str, Any]] = field(default_factory=list)

    def user_errors(self, root: str) -> list[dict[str, Any]]:
        payload = self.data.get(root) or {}
        return list(payload.get("userErrors") or [])


class Client:
    def __init__(self, schema: strawberry.Schema, settings: Settings, clock: Clock) -> None:
        self.schema = schema
        self.settings = settings
        self.clock = clock

    async def run(
        self,
        request: Request,
        operation: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
    ) -> Answer:
        """Execute ``operation`` with the session cookie's token (or ``token``) as bearer."""
        session = token if token is not None else request.cookies.get(SESSION_COOKIE)
        context = await build_context(request, self.settings, self.clock, session_token=session)
        result = await self.schema.execute(
            document(operation),
            variable_values=variables or {},
            context_value=context,
            operation_name=operation,
        )
        errors: list[dict[str, Any]] = []
        for error in result.errors or []:
            classify(error)
            code = (error.extensions or {}).get("code", "")
            if code == "UNAUTHENTICATED":
                raise SignInRequired(error.message)
            errors.append({"message": error.message, "code": code, "path": error.path})
        return Answer(data=dict(result.data or {}), errors=errors)
