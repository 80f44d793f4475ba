"""Frozen public snapshots of a cycle's results (SPEC §3.8)."""

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.cycles.entities import Cycle


class PublishedReport(Model):
    cycle_id: int
    id = fields.IntField(primary_key=True)
    cycle: fields.OneToOneRelation["Cycle"] = fields.OneToOneField(
        "models.Cycle", related_name="published_report", on_delete=fields.CASCADE
    )
    published_at = fields.DatetimeField()
    snapshot: fields.JSONField[dict[str, Any]] = fields.JSONField()
    audit: fields.JSONField[dict[str, Any]] = fields.JSONField(
        null=True, description="The disclosure audit of the snapshot (for CDE, never public)."
    )
    history: fields.JSONField[list[dict[str, Any]]] = fields.JSONField(
        null=True,
        description="What each publication of the cycle taught the attacker (never public).",
    )

    class Meta:
        table = "published_report"
