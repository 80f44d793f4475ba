"""One entry of a submission's history: who did what, from which status to which, with the
counts after it (SPEC §3.6)."""

from __future__ import annotations

from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient

from models import Submission, SubmissionEvent
from models.shared.enums import SubmissionStatus
from resolvers.shared.principal import Principal


async def record_event(
    tx: BaseDBAsyncClient,
    after: Submission,
    *,
    principal: Principal,
    action: str,
    from_status: SubmissionStatus,
    at: datetime,
    actor_name: str | None = None,
    reason: str | None = None,
) -> SubmissionEvent:
    """``after`` is the submission as the action left it (its status, version and counts)."""
    return await SubmissionEvent.create(
        submission_id=after.id,
        at=at,
        actor_role=principal.role.value,
        actor_scope=principal.audit_scope,
        actor_name=actor_name,
        action=action,
        from_status=from_status,
        to_status=after.status,
        version=after.version,
        count_a=after.count_a,
        count_b=after.count_b,
        count_c=after.count_c,
        reason=reason,
        using_db=tx,
    )
