"""Access codes, bearer sessions and login attempts (SPEC §5); secrets only as keyed hashes."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.shared.enums import Role

if TYPE_CHECKING:
    from models.cycles.entities import Cycle
    from models.directory.entities import Lea, Selpa


class AccessCode(Model):
    cycle_id: int | None
    selpa_id: int | None
    lea_id: int | None
    id = fields.IntField(primary_key=True)
    code_hash = fields.CharField(max_length=64, unique=True)
    role = fields.CharEnumField(Role, max_length=12)
    cycle: fields.ForeignKeyNullableRelation["Cycle"] = fields.ForeignKeyField(
        "models.Cycle", related_name="access_codes", null=True, on_delete=fields.CASCADE
    )
    selpa: fields.ForeignKeyNullableRelation["Selpa"] = fields.ForeignKeyField(
        "models.Selpa", related_name="access_codes", null=True, on_delete=fields.CASCADE
    )
    lea: fields.ForeignKeyNullableRelation["Lea"] = fields.ForeignKeyField(
        "models.Lea", related_name="access_codes", null=True, on_delete=fields.CASCADE
    )
    label = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "access_code"


class Session(Model):
    access_code_id: int
    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    access_code: fields.ForeignKeyRelation[AccessCode] = fields.ForeignKeyField(
        "models.AccessCode", related_name="sessions", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    last_used_at = fields.DatetimeField()
    ended_at = fields.DatetimeField(null=True)

    class Meta:
        table = "session"


class LoginAttempt(Model):
    id = fields.IntField(primary_key=True)
    client_address = fields.CharField(max_length=64)
    at = fields.DatetimeField()
    success = fields.BooleanField()

    class Meta:
        table = "login_attempt"
        indexes = (("client_address", "at"),)
