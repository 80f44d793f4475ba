"""From a bearer token to the caller's ``Principal``, or None when the token is dead.

One statement reads the session with its code, cycle, SELPA and LEA (asyncpg prepares it once
per connection); the decisions are ``models.access.liveness``. Nothing is kept between
requests, so a revoked code, an ended session or a closed cycle stops the very next request.
On PostgreSQL the same statement also reads the report epoch token (``models.reports.epoch``),
so a report answered from the store costs no statement of its own.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, NamedTuple

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.connection import get_connection
from tortoise.fields import DatetimeField

from models import AccessCode, Session
from models.access import liveness
from models.reports.epoch import EPOCH_ROW, ReportEpoch
from models.shared.enums import CycleStatus, Role
from resolvers.access.credentials import hash_token
from resolvers.shared.bulk import param
from resolvers.shared.principal import Principal

_SELECT = (
    "SELECT s.id AS session_id, s.expires_at AS session_expires_at, s.last_used_at, "
    "c.id AS code_id, c.role, c.revoked_at, c.expires_at AS code_expires_at, "
    "c.cycle_id, c.selpa_id, c.lea_id, y.status AS cycle_status, "
    "p.code AS selpa_code, l.cds_code AS lea_code, {epoch} AS report_epoch "
    'FROM "session" s '
    "JOIN access_code c ON c.id = s.access_code_id "
    "LEFT JOIN cycle y ON y.id = c.cycle_id "
    "LEFT JOIN selpa p ON p.id = c.selpa_id "
    "LEFT JOIN lea l ON l.id = c.lea_id "
    "WHERE s.token_hash = {token} AND s.ended_at IS NULL"
)
_EPOCH_TABLE = ReportEpoch._meta.db_table
_PG_EPOCH = f'(SELECT e."token" FROM "{_EPOCH_TABLE}" e WHERE e."id" = {EPOCH_ROW})'  # noqa: S608
"""PostgreSQL's epoch token, read in the same snapshot as the session. SQLite's token is the
connection's own counters (``resolvers.reports.epoch``): it is read apart."""
_statements: dict[str, str] = {}


def _statement(db: BaseDBAsyncClient) -> str:
    dialect = db.capabilities.dialect
    if dialect not in _statements:
        epoch = _PG_EPOCH if dialect == "postgres" else "NULL"
        _statements[dialect] = _SELECT.format(token=param(db, 1), epoch=epoch)
    return _statements[dialect]


class Caller(NamedTuple):
    """What a bearer token stands for: its principal (None when the token is dead) and the
    report epoch token read with it (None when it was not read, or is unknown)."""

    principal: Principal | None
    report_epoch: str | None = None


def _instant(value: Any) -> datetime | None:
    """A timestamp as the database returned it (SQLite: text), as an aware datetime."""
    field = Session._meta.fields_map["expires_at"]
    assert isinstance(field, DatetimeField)
    return None if value is None else field.to_python_value(value)


def code_is_live(code: AccessCode, now: datetime) -> bool:
    """A code works while not revoked, not expired, and (SELPA/LEA) while its cycle is OPEN."""
    status = code.cycle.status if code.cycle is not None else None
    return liveness.code_is_live(code.role, code.revoked_at, code.expires_at, status, now)


def principal_for(code: AccessCode, session: Session | None) -> Principal:
    selpa = code.selpa.code if code.role is Role.SELPA and code.selpa is not None else None
    lea = code.lea.cds_code if code.role is Role.LEA and code.lea is not None else None
    return Principal(
        role=code.role,
        access_code_id=code.id,
        session_id=session.id if session else None,
        cycle_id=code.cycle_id,
        selpa_id=code.selpa_id,
        lea_id=code.lea_id,
        scope_code=liveness.scope_code(code.role, selpa, lea),
        expires_at=session.expires_at if session else None,
    )


async def authenticate(
    token: str, secret_key: str, now: datetime, idle_minutes: int
) -> Principal | None:
    """Check the session behind ``token`` and touch its last use; None when it cannot be used."""
    return (await authenticate_caller(token, secret_key, now, idle_minutes)).principal


async def authenticate_caller(
    token: str, secret_key: str, now: datetime, idle_minutes: int
) -> Caller:
    """``authenticate``, with the report epoch token the same statement read."""
    db = get_connection("default")
    rows = await db.execute_query_dict(_statement(db), [hash_token(secret_key, token)])
    if not rows:
        return Caller(None)
    row = rows[0]
    epoch = None if row["report_epoch"] is None else str(row["report_epoch"])
    return Caller(await _principal(row, now, idle_minutes), epoch)


async def _principal(row: dict[str, Any], now: datetime, idle_minutes: int) -> Principal | None:
    expires_at, last_used_at = _instant(row["session_expires_at"]), _instant(row["last_used_at"])
    assert expires_at is not None and last_used_at is not None
    if not liveness.session_is_live(expires_at, last_used_at, now, timedelta(minutes=idle_minutes)):
        return None
    role = Role(row["role"])
    status = CycleStatus(row["cycle_status"]) if row["cycle_status"] is not None else None
    revoked_at, code_expires_at = _instant(row["revoked_at"]), _instant(row["code_expires_at"])
    if not liveness.code_is_live(role, revoked_at, code_expires_at, status, now):
        return None
    session_id = int(row["session_id"])
    if liveness.touch_due(last_used_at, now):
        await Session.filter(id=session_id, last_used_at__lt=now).update(last_used_at=now)
    return Principal(
        role=role,
        access_code_id=int(row["code_id"]),
        session_id=session_id,
        cycle_id=row["cycle_id"],
        selpa_id=row["selpa_id"],
        lea_id=row["lea_id"],
        scope_code=liveness.scope_code(role, row["selpa_code"], row["lea_code"]),
        expires_at=expires_at,
    )
