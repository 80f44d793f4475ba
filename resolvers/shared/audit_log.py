"""Writing to the audit log; never a code, token or student identifier."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from models import AuditEvent
from resolvers.shared.principal import Principal


async def record(
    action: str,
    at: datetime,
    *,
    principal: Principal | None = None,
    cycle_id: int | None = None,
    target: str = "",
    client_address: str = "",
    detail: dict[str, Any] | None = None,
    using: BaseDBAsyncClient | None = None,
) -> None:
    await AuditEvent.create(
        at=at,
        actor_role=principal.role.value if principal else "",
        actor_scope=principal.audit_scope if principal else "",
        cycle_id=cycle_id,
        action=action,
        target=target,
        client_address=client_address,
        detail=detail or {},
        using_db=using,
    )
