"""Roster rows (the LEA's SWDs in a cycle) and the drawn sample (SPEC §3.3, §3.9)."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.cycles.entities import Cycle
    from models.directory.entities import Lea


class RosterStudent(Model):
    cycle_id: int
    lea_id: int
    id = fields.IntField(primary_key=True)
    cycle: fields.ForeignKeyRelation["Cycle"] = fields.ForeignKeyField(
        "models.Cycle", related_name="roster", on_delete=fields.CASCADE
    )
    lea: fields.ForeignKeyRelation["Lea"] = fields.ForeignKeyField(
        "models.Lea", related_name="roster", on_delete=fields.CASCADE
    )
    ssid = fields.CharField(max_length=10)
    first_name = fields.CharField(max_length=100)
    last_name = fields.CharField(max_length=100)
    birth_date = fields.DateField()
    grade = fields.CharField(max_length=4)
    disability_category = fields.CharField(max_length=8)
    race_ethnicity = fields.CharField(max_length=8, default="")
    gender = fields.CharField(max_length=8, default="")

    class Meta:
        table = "roster_student"
        unique_together = (("cycle", "ssid"),)
        indexes = (("cycle_id", "lea_id"),)


class SampledStudent(Model):
    """A roster row drawn into the LEA's sample, with its optional worksheet minutes."""

    cycle_id: int
    lea_id: int
    student_id: int
    id = fields.IntField(primary_key=True)
    cycle: fields.ForeignKeyRelation["Cycle"] = fields.ForeignKeyField(
        "models.Cycle", related_name="sample", on_delete=fields.CASCADE
    )
    lea: fields.ForeignKeyRelation["Lea"] = fields.ForeignKeyField(
        "models.Lea", related_name="sample", on_delete=fields.CASCADE
    )
    student: fields.OneToOneRelation[RosterStudent] = fields.OneToOneField(
        "models.RosterStudent", related_name="sampled", on_delete=fields.CASCADE
    )
    ssid = fields.CharField(max_length=10)
    selection_key = fields.CharField(max_length=64)
    prescribed_minutes = fields.IntField(null=True)
    provided_minutes = fields.IntField(null=True)
    minutes_updated_at = fields.DatetimeField(null=True)

    class Meta:
        table = "sampled_student"
        unique_together = (("cycle", "ssid"),)
        indexes = (("cycle_id", "lea_id"),)
