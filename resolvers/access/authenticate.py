"""From a bearer token to the caller's ``Principal``, or None when the token is dead."""

from __future__ import annotations

from datetime import datetime, timedelta

from models import AccessCode, Session
from models.shared.enums import CycleStatus, Role
from resolvers.access.credentials import hash_token
from resolvers.shared.principal import Principal

TOUCH_INTERVAL = timedelta(seconds=30)
"""Last use is recorded at most this often: the idle timeout is kept to within it."""


def code_is_live(code: AccessCode, now: datetime) -> bool:
    """A code works while not revoked, not expired, and (SELPA/LEA) while its cycle is OPEN."""
    if code.revoked_at is not None:
        return False
    if code.expires_at is not None and code.expires_at <= now:
        return False
    if code.role in (Role.SELPA, Role.LEA):
        return code.cycle is not None and code.cycle.status is CycleStatus.OPEN
    return True


def principal_for(code: AccessCode, session: Session | None) -> Principal:
    scope = ""
    if code.role is Role.SELPA and code.selpa is not None:
        scope = code.selpa.code
    elif code.role is Role.LEA and code.lea is not None:
        scope = code.lea.cds_code
    return Principal(
        role=code.role,
        access_code_id=code.id,
        session_id=session.id if session else None,
        cycle_id=code.cycle_id,
        selpa_id=code.selpa_id,
        lea_id=code.lea_id,
        scope_code=scope,
        expires_at=session.expires_at if session else None,
    )


async def authenticate(
    token: str, secret_key: str, now: datetime, idle_minutes: int
) -> Principal | None:
    """Check the session behind ``token`` and touch its last use; None when it cannot be used."""
    session = (
        await Session.filter(token_hash=hash_token(secret_key, token), ended_at__isnull=True)
        .select_related("access_code__cycle", "access_code__selpa", "access_code__lea")
        .first()
    )
    if session is None:
        return None
    idle_limit = session.last_used_at + timedelta(minutes=idle_minutes)
    if now >= session.expires_at or now >= idle_limit:
        return None
    code = session.access_code
    if not code_is_live(code, now):
        return None
    if now - session.last_used_at >= TOUCH_INTERVAL:
        await Session.filter(id=session.id, last_used_at__lt=now).update(last_used_at=now)
    return principal_for(code, session)
