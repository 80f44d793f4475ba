"""Root fields ``outbox`` and ``outboxDepth`` (CDE staff)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from kernel.errors import InvalidInput
from mailers.outbox import outbox_depth
from models.shared.enums import OutboxStatus
from models.shared.identifiers import is_ascii_digits
from resolvers.mail import outbox_queries
from resolvers.shared import arguments
from schema.mail.types import OutboxDepth, OutboxMessage
from schema.shared import descriptions as doc
from schema.shared.context import Info
from schema.shared.pagination import Connection, connection
from schema.shared.permissions import CdeOnly


def _after(after: str | None) -> str | None:
    key = arguments.decode_cursor("outbox", after)
    if key is not None and not is_ascii_digits(key):
        raise InvalidInput("after", "after is not a cursor this list gave out.")
    return key


@strawberry.type
class OutboxQueries:
    @strawberry.field(
        permission_classes=[CdeOnly], description="The mail outbox, newest first (CDE staff)."
    )
    async def outbox(
        self,
        info: Info,
        status: Annotated[
            OutboxStatus | None, strawberry.argument(description="Only messages in this state.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=doc.FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=doc.AFTER)] = None,
    ) -> Connection[OutboxMessage]:
        size = arguments.page_size(first)
        page = await outbox_queries.outbox_page(status, size, _after(after))
        return connection(
            [OutboxMessage(row=row) for row in page.rows],
            [arguments.encode_cursor("outbox", key) for key in page.keys],
            page.has_next,
            page.count,
        )

    @strawberry.field(
        permission_classes=[CdeOnly], description="Outbox messages per status (CDE staff)."
    )
    async def outbox_depth(self, info: Info) -> OutboxDepth:
        depth = await outbox_depth()
        return OutboxDepth(
            pending=depth[OutboxStatus.PENDING],
            sent=depth[OutboxStatus.SENT],
            failed=depth[OutboxStatus.FAILED],
        )
