"""The audit log of every consequential action, and the 10 % audit selection (SPEC §3.7)."""

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from models.shared.enums import AuditOutcome

if TYPE_CHECKING:
    from models.cycles.entities import Cycle
    from models.directory.entities import Lea


class AuditEvent(Model):
    cycle_id: int | None
    id = fields.IntField(primary_key=True)
    at = fields.DatetimeField()
    actor_role = fields.CharField(max_length=16, default="")
    actor_scope = fields.CharField(max_length=32, default="")
    cycle: fields.ForeignKeyNullableRelation["Cycle"] = fields.ForeignKeyField(
        "models.Cycle", related_name="audit_events", null=True, on_delete=fields.CASCADE
    )
    action = fields.CharField(max_length=48)
    target = fields.CharField(max_length=64, default="")
    client_address = fields.CharField(max_length=64, default="")
    detail: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)

    class Meta:
        table = "audit_event"
        indexes = (("cycle_id", "action"),)


class AuditSelection(Model):
    cycle_id: int
    lea_id: int
    id = fields.IntField(primary_key=True)
    cycle: fields.ForeignKeyRelation["Cycle"] = fields.ForeignKeyField(
        "models.Cycle", related_name="audit_selections", on_delete=fields.CASCADE
    )
    lea: fields.ForeignKeyRelation["Lea"] = fields.ForeignKeyField(
        "models.Lea", related_name="audit_selections", on_delete=fields.CASCADE
    )
    rank = fields.IntField()
    selection_key = fields.CharField(max_length=64)
    selected_at = fields.DatetimeField()
    version = fields.IntField(default=0)
    documents_requested_at = fields.DatetimeField(null=True)
    documents_reviewed_at = fields.DatetimeField(null=True)
    outcome = fields.CharEnumField(AuditOutcome, max_length=12, null=True)
    outcome_at = fields.DatetimeField(null=True)
    certified_a = fields.IntField(null=True)
    certified_b = fields.IntField(null=True)
    certified_c = fields.IntField(null=True)
    verified_a = fields.IntField(null=True)
    verified_b = fields.IntField(null=True)
    verified_c = fields.IntField(null=True)
    note = fields.TextField(null=True)

    class Meta:
        table = "audit_selection"
        unique_together = (("cycle", "lea"),)
