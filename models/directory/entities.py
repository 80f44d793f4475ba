"""SELPAs and LEAs live across cycles; an LEA's membership is per cycle (SPEC §3.2)."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.cycles.entities import Cycle


class Selpa(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=4, unique=True)
    name = fields.CharField(max_length=200)
    contact_name = fields.CharField(max_length=200, default="")
    contact_email = fields.CharField(max_length=254, default="")

    class Meta:
        table = "selpa"


class Lea(Model):
    id = fields.IntField(primary_key=True)
    cds_code = fields.CharField(max_length=14, unique=True)
    name = fields.CharField(max_length=200)
    kind = fields.CharField(max_length=32, default="district")

    class Meta:
        table = "lea"

    @property
    def county_code(self) -> str:
        return self.cds_code[:2]


class LeaCycle(Model):
    """An LEA's place in one cycle: SELPA, flags, contact, sample and extension."""

    cycle_id: int
    lea_id: int
    selpa_id: int | None
    id = fields.IntField(primary_key=True)
    cycle: fields.ForeignKeyRelation["Cycle"] = fields.ForeignKeyField(
        "models.Cycle", related_name="memberships", on_delete=fields.RESTRICT
    )
    lea: fields.ForeignKeyRelation[Lea] = fields.ForeignKeyField(
        "models.Lea", related_name="memberships", on_delete=fields.RESTRICT
    )
    selpa: fields.ForeignKeyNullableRelation[Selpa] = fields.ForeignKeyField(
        "models.Selpa", related_name="memberships", null=True, on_delete=fields.RESTRICT
    )
    active = fields.BooleanField(default=True)
    required = fields.BooleanField(default=True)
    exempt_reason = fields.CharField(max_length=200, null=True)
    contact_name = fields.CharField(max_length=200, default="")
    contact_email = fields.CharField(max_length=254, default="")
    due_at_extension = fields.DatetimeField(null=True)
    swd_count = fields.IntField(default=0)
    sample_size = fields.IntField(null=True)
    sampled_at = fields.DatetimeField(null=True)

    class Meta:
        table = "lea_cycle"
        unique_together = (("cycle", "lea"),)
