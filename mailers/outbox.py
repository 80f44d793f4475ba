"""Queue mail in the caller's transaction: one outbox row per (event, recipient)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.functions import Count

from mailers.compose import MailKind, render
from models import OutboxMessage
from models.shared.enums import OutboxStatus

GIVE_UP_AFTER = timedelta(days=4)
MESSAGE_ID_DOMAIN = "iepimp.invalid"


def message_id(event_key: str, recipient: str) -> str:
    """Deterministic Message-ID: a copy re-sent after a crash carries the same one."""
    digest = hashlib.sha256(f"{event_key}\x00{recipient.lower()}".encode()).hexdigest()[:32]
    return f"<{digest}@{MESSAGE_ID_DOMAIN}>"


async def queue(
    kind: MailKind,
    *,
    event_key: str,
    recipients: Iterable[str],
    context: dict[str, Any],
    now: datetime,
    cycle_id: int | None = None,
    give_up_at: datetime | None = None,
    using: BaseDBAsyncClient | None = None,
) -> int:
    """Record the message for each distinct recipient; return how many rows were new."""
    rendered = render(kind, context)
    created = 0
    distinct: dict[str, str] = {}
    for address in recipients:
        if address and address.strip():
            distinct.setdefault(address.strip().lower(), address.strip())
    for recipient in distinct.values():
        _, was_created = await OutboxMessage.get_or_create(
            event_key=event_key,
            recipient=recipient,
            defaults={
                "kind": kind.value,
                "message_id": message_id(event_key, recipient),
                "subject": rendered.subject,
                "body_text": rendered.text,
                "body_html": rendered.html,
                "cycle_id": cycle_id,
                "next_attempt_at": now,
                "give_up_at": give_up_at or now + GIVE_UP_AFTER,
                "created_at": now,
            },
            using_db=using,
        )
        created += int(was_created)
    return created


async def outbox_depth() -> dict[OutboxStatus, int]:
    """Rows per status (every status present, zero when empty), for metrics."""
    rows = await OutboxMessage.annotate(n=Count("id")).group_by("status").values_list("status", "n")
    depth = dict.fromkeys(OutboxStatus, 0)
    for status, n in rows:
        depth[OutboxStatus(status)] = int(n)
    return depth
