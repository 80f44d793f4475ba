"""The yearly collection and its parameters (SPEC §3.1)."""

from tortoise import fields
from tortoise.models import Model

from models.cycles.bands import Band
from models.shared.enums import CycleStatus


class Cycle(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=16, unique=True)
    window_start = fields.DateField()
    window_end = fields.DateField()
    due_at = fields.DatetimeField()
    max_sample = fields.IntField(default=500)
    sample_bands: fields.JSONField[list[Band]] = fields.JSONField()
    certification_text = fields.TextField()
    selpa_certification_text = fields.TextField(default="")
    reminder_days: fields.JSONField[list[int]] = fields.JSONField()
    resubmission_grace_days = fields.IntField(default=10)
    sampling_seed = fields.CharField(max_length=128)
    status = fields.CharEnumField(CycleStatus, max_length=8, default=CycleStatus.DRAFT)
    version = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    opened_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    audit_seed = fields.CharField(max_length=128, null=True)
    audit_drawn_at = fields.DatetimeField(null=True)

    class Meta:
        table = "cycle"
