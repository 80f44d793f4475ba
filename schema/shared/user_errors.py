"""``UserError``: expected business failures, returned as data in every payload."""

from __future__ import annotations

import strawberry

from kernel.errors import ErrorCode, UserErrorData
from schema.shared import enums as _registered  # noqa: F401 (registers the GraphQL enums)


@strawberry.type(
    description="Why a mutation was refused, returned as data in its payload; a refused "
    "mutation changes nothing."
)
class UserError:
    field: list[str] | None = strawberry.field(
        description='Path to the input field at fault, e.g. ["input", "countA"].'
    )
    code: ErrorCode = strawberry.field(description="What kind of failure this is.")
    message: str = strawberry.field(description="A plain-language explanation, safe to show.")

    @classmethod
    def of(cls, data: UserErrorData) -> UserError:
        return cls(
            field=list(data.field) if data.field else None, code=data.code, message=data.message
        )


def user_errors(items: tuple[UserErrorData, ...] | list[UserErrorData]) -> list[UserError]:
    return [UserError.of(item) for item in items]
