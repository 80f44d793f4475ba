"""Failures as the API contract names them (SPEC §10).

Top-level failures are ``GraphQLError`` subclasses carrying ``extensions.code``; expected
business failures are ``UserErrorData`` values returned in a payload's ``userErrors``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from graphql import GraphQLError


class ErrorCode(str, Enum):
    INVALID_INPUT = "INVALID_INPUT"
    TOTAL_MISMATCH = "TOTAL_MISMATCH"
    NOT_CERTIFIED = "NOT_CERTIFIED"
    DEADLINE_PASSED = "DEADLINE_PASSED"
    INVALID_STATE = "INVALID_STATE"
    VERSION_CONFLICT = "VERSION_CONFLICT"
    CYCLE_NOT_OPEN = "CYCLE_NOT_OPEN"
    NOT_FOUND = "NOT_FOUND"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    ALREADY_DONE = "ALREADY_DONE"
    ROSTER_MISSING = "ROSTER_MISSING"


@dataclass(frozen=True)
class UserErrorData:
    field: tuple[str, ...] | None
    code: ErrorCode
    message: str


def user_error(code: ErrorCode, message: str, *field: str) -> UserErrorData:
    return UserErrorData(field=tuple(field) if field else None, code=code, message=message)


class ApiError(GraphQLError):
    """A deliberate top-level error: its message and code are safe to show."""

    code = "INTERNAL"

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message, extensions={"code": self.code, **extensions})


class Unauthenticated(ApiError):
    code = "UNAUTHENTICATED"

    def __init__(self, message: str = "Sign in with an access code to see this.") -> None:
        super().__init__(message)


class Forbidden(ApiError):
    code = "FORBIDDEN"

    def __init__(self, message: str = "Your role may not do this.") -> None:
        super().__init__(message)


class InvalidInput(ApiError):
    code = "INVALID_INPUT"

    def __init__(self, field: str | Sequence[str], message: str) -> None:
        path = [field] if isinstance(field, str) else list(field)
        super().__init__(message, field=path[-1], fieldPath=path)
        self.field_path = tuple(path)


class RateLimited(ApiError):
    code = "RATE_LIMITED"

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(
            f"Too many failed sign-ins from this address; try again in {retry_after_seconds} s.",
            retryAfterSeconds=retry_after_seconds,
        )


class QueryLimit(ApiError):
    code = "QUERY_LIMIT"
