"""``OutboxMessage``: one queued notification as CDE staff see it (never its body)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models import OutboxMessage as OutboxRow
from models.shared.enums import OutboxStatus
from schema.shared.time import shown

strawberry.enum(
    OutboxStatus,
    name="OutboxStatus",
    description="An outbox message's delivery state: PENDING (queued or awaiting a retry), "
    "SENT, or FAILED (refused or given up).",
)


@strawberry.type(
    description="One notification mail to one recipient in the outbox; its body is never shown."
)
class OutboxMessage:
    row: strawberry.Private[OutboxRow]

    @strawberry.field(description="The message's id: pass it to requeueMessage.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.id))

    @strawberry.field(description="The message kind, e.g. submission_acknowledged.")
    def kind(self) -> str:
        return self.row.kind

    @strawberry.field(description="The recipient's email address.")
    def recipient(self) -> str:
        return self.row.recipient

    @strawberry.field(description="The mail's subject line.")
    def subject(self) -> str:
        return self.row.subject

    @strawberry.field(description="The delivery state.")
    def status(self) -> OutboxStatus:
        return self.row.status

    @strawberry.field(description="Delivery attempts made so far.")
    def attempts(self) -> int:
        return self.row.attempts

    @strawberry.field(
        description="Why the latest attempt failed; null before any failure and once sent."
    )
    def last_error(self) -> str | None:
        return self.row.last_error

    @strawberry.field(description="The event that caused the message; unique with the recipient.")
    def event_key(self) -> str:
        return self.row.event_key

    @strawberry.field(
        description="The Message-ID header, the same on every resend so mail systems drop copies."
    )
    def message_id(self) -> str:
        return self.row.message_id

    @strawberry.field(description="When the message was queued (Pacific time).")
    def created_at(self) -> datetime:
        return shown(self.row.created_at)  # type: ignore[return-value]

    @strawberry.field(
        description="When the SMTP server accepted it (Pacific time); null until sent."
    )
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


@strawberry.type(description="Number of outbox messages in each delivery state.")
class OutboxDepth:
    pending: int = strawberry.field(description="Messages queued or awaiting a retry.")
    sent: int = strawberry.field(description="Messages the SMTP server accepted.")
    failed: int = strawberry.field(
        description="Messages refused or given up; requeueMessage sends one again."
    )
