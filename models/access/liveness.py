"""Whether an access code and a session may still be used: pure decisions on plain values."""

from __future__ import annotations

from datetime import datetime, timedelta

from models.shared.enums import CycleStatus, Role

TOUCH_INTERVAL = timedelta(seconds=30)
"""Last use is recorded at most this often: the idle timeout is kept to within it."""


def code_is_live(
    role: Role,
    revoked_at: datetime | None,
    expires_at: datetime | None,
    cycle_status: CycleStatus | None,
    now: datetime,
) -> bool:
    """A code works while not revoked, not expired, and (SELPA/LEA) while its cycle is OPEN."""
    if revoked_at is not None:
        return False
    if expires_at is not None and expires_at <= now:
        return False
    if role in (Role.SELPA, Role.LEA):
        return cycle_status is CycleStatus.OPEN
    return True


def session_is_live(
    expires_at: datetime, last_used_at: datetime, now: datetime, idle: timedelta
) -> bool:
    """A session works until its absolute end and until it has been idle for ``idle``."""
    return now < expires_at and now < last_used_at + idle


def touch_due(last_used_at: datetime, now: datetime) -> bool:
    return now - last_used_at >= TOUCH_INTERVAL


def scope_code(role: Role, selpa_code: str | None, lea_code: str | None) -> str:
    """The SELPA's code for a SELPA caller, the LEA's CDS code for an LEA caller, else empty."""
    if role is Role.SELPA:
        return selpa_code or ""
    if role is Role.LEA:
        return lea_code or ""
    return ""
