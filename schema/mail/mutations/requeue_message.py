"""``requeueMessage(id)``: send a failed message again (CDE_ADMIN)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.mail.requeue_message import requeue_message
from schema.mail.types import OutboxMessage
from schema.shared import descriptions as doc
from schema.shared.context import Info
from schema.shared.permissions import CdeAdminOnly
from schema.shared.user_errors import UserError, user_errors


@strawberry.type(description="The re-queued outbox message, or why it was refused.")
class RequeueMessagePayload:
    message: OutboxMessage | None = strawberry.field(
        description="The message as it now stands; null when there is no such message."
    )
    user_errors: list[UserError] = strawberry.field(description=doc.USER_ERRORS)


async def resolve_requeue_message(
    info: Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="The id of a FAILED message.")],
) -> RequeueMessagePayload:
    principal = info.context.require_principal()
    result = await requeue_message(principal, str(id), info.context.clock())
    return RequeueMessagePayload(
        message=OutboxMessage(row=result.message) if result.message else None,
        user_errors=user_errors(result.errors),
    )


requeue_message_field = strawberry.mutation(
    resolve_requeue_message,
    name="requeueMessage",
    permission_classes=[CdeAdminOnly],
    description="Put a FAILED outbox message back in the queue, due now: CDE_ADMIN.",
)
