"""Mail recorded in the same transaction as its cause and delivered afterwards (SPEC §7)."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.shared.enums import OutboxStatus

if TYPE_CHECKING:
    from models.cycles.entities import Cycle


class OutboxMessage(Model):
    cycle_id: int | None
    id = fields.IntField(primary_key=True)
    event_key = fields.CharField(max_length=128)
    kind = fields.CharField(max_length=32)
    recipient = fields.CharField(max_length=254)
    message_id = fields.CharField(max_length=255, unique=True)
    subject = fields.CharField(max_length=255)
    body_text = fields.TextField()
    body_html = fields.TextField()
    cycle: fields.ForeignKeyNullableRelation["Cycle"] = fields.ForeignKeyField(
        "models.Cycle", related_name="outbox", null=True, on_delete=fields.CASCADE
    )
    status = fields.CharEnumField(OutboxStatus, max_length=8, default=OutboxStatus.PENDING)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    give_up_at = fields.DatetimeField()
    lease_until = fields.DatetimeField(null=True)
    leased_by = fields.CharField(max_length=64, null=True)
    last_error = fields.TextField(null=True)
    created_at = fields.DatetimeField()
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "outbox_message"
        unique_together = (("event_key", "recipient"),)
        indexes = (("status", "next_attempt_at"),)
