"""``OutboxMessage``: one queued notification as CDE staff see it (never its body)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models import OutboxMessage as OutboxRow
from models.shared.enums import OutboxStatus
from schema.shared.time import shown

strawberry.enum(OutboxStatus, name="OutboxStatus")


@strawberry.type
class OutboxMessage:
    row: strawberry.Private[OutboxRow]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.id))

    @strawberry.field(description="The message kind, e.g. submission_acknowledged.")
    def kind(self) -> str:
        return self.row.kind

    @strawberry.field
    def recipient(self) -> str:
        return self.row.recipient

    @strawberry.field
    def subject(self) -> str:
        return self.row.subject

    @strawberry.field
    def status(self) -> OutboxStatus:
        return self.row.status

    @strawberry.field(description="Delivery attempts made so far.")
    def attempts(self) -> int:
        return self.row.attempts

    @strawberry.field
    def last_error(self) -> str | None:
        return self.row.last_error

    @strawberry.field(description="The event that caused the message; unique with the recipient.")
    def event_key(self) -> str:
        return self.row.event_key

    @strawberry.field
    def message_id(self) -> str:
        return self.row.message_id

    @strawberry.field
    def created_at(self) -> datetime:
        return shown(self.row.created_at)  # type: ignore[return-value]

    @strawberry.field
    def sent_at(self) -> datetime | None:
        return shown(self.row.sent_at)

    @strawberry.field(description="When a pending message is tried next.")
    def next_attempt_at(self) -> datetime | None:
        if self.row.status is not OutboxStatus.PENDING:
            return None
        return shown(self.row.next_attempt_at)

    @strawberry.field(description="After this instant a message that keeps failing is given up.")
    def give_up_at(self) -> datetime:
        return shown(self.row.give_up_at)  # type: ignore[return-value]


@strawberry.type
class OutboxDepth:
    pending: int
    sent: int
    failed: int
