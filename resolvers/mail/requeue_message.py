"""``requeueMessage``: a failed outbox row goes back to the queue, due now, with a fresh
give-up time; it keeps its Message-ID, so a copy a mail system already has is dropped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from kernel.errors import ErrorCode, UserErrorData, user_error
from mailers.outbox import GIVE_UP_AFTER
from models import OutboxMessage
from models.shared.enums import OutboxStatus
from models.shared.identifiers import is_ascii_digits
from resolvers.shared import audit_log
from resolvers.shared.principal import Principal


@dataclass(frozen=True)
class RequeueResult:
    message: OutboxMessage | None
    errors: tuple[UserErrorData, ...] = ()


def parse_id(raw: str) -> int | None:
    text = raw.strip()
    if not is_ascii_digits(text) or len(text) > 18:
        return None
    return int(text)


async def requeue_message(principal: Principal, raw_id: str, now: datetime) -> RequeueResult:
    message_id = parse_id(raw_id)
    if message_id is None:
        return RequeueResult(
            None, (user_error(ErrorCode.INVALID_INPUT, "id is not an outbox message id.", "id"),)
        )
    async with in_transaction() as tx:
        row = await OutboxMessage.filter(id=message_id).using_db(tx).first()
        if row is None:
            return RequeueResult(
                None, (user_error(ErrorCode.NOT_FOUND, "There is no such message.", "id"),)
            )
        changed = (
            await OutboxMessage.filter(id=message_id, status=OutboxStatus.FAILED)
            .using_db(tx)
            .update(
                status=OutboxStatus.PENDING,
                next_attempt_at=now,
                give_up_at=now + GIVE_UP_AFTER,
                lease_until=None,
                leased_by=None,
            )
        )
        if not changed:
            return RequeueResult(
                row,
                (
                    user_error(
                        ErrorCode.INVALID_STATE, "Only a failed message can be re-queued.", "id"
                    ),
                ),
            )
        await audit_log.record(
            "outbox.requeue",
            now,
            principal=principal,
            cycle_id=row.cycle_id,
            target=f"outbox:{row.id}",
            detail={"kind": row.kind},
            using=tx,
        )
        await row.refresh_from_db(using_db=tx)
    return RequeueResult(row)
