"""Queue mail in the caller's transaction: one outbox row per (event, recipient)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.functions import Count

from mailers.compose import MailKind, render
from models import OutboxMessage
from models.shared.enums import OutboxStatus
from models.shared.identifiers import is_email

log = logging.getLogger("iepimp.mail")
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
    """Record the message for each distinct recipient; return how many rows were new.

    Recipients are told apart without regard to letter case, here and against rows an earlier
    call made for the same event (the Message-ID is the key); an address that is not one is
    left out and logged."""
    rendered = render(kind, context)
    created = 0
    distinct: dict[str, str] = {}
    for address in recipients:
        address = (address or "").strip()
        if not address:
            continue
        if not is_email(address):
            log.warning("left out a malformed recipient of %s (%s)", kind.value, event_key)
            continue
        distinct.setdefault(message_id(event_key, address), address)
    for identifier, recipient in distinct.items():
        _, was_created = await OutboxMessage.get_or_create(
            message_id=identifier,
            defaults={
                "event_key": event_key,
                "recipient": recipient,
                "kind": kind.value,
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
