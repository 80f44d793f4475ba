"""End the caller's session."""

from __future__ import annotations

from datetime import datetime

from models import Session
from resolvers.shared import audit_log
from resolvers.shared.principal import Principal


async def logout(principal: Principal, now: datetime, client_address: str) -> bool:
    """True when a live session was ended."""
    if principal.session_id is None:
        return False
    ended = await Session.filter(id=principal.session_id, ended_at__isnull=True).update(
        ended_at=now
    )
    await audit_log.record(
        "logout",
        now,
        principal=principal,
        cycle_id=principal.cycle_id,
        client_address=client_address,
    )
    return ended == 1
