"""``grantExtension``: CDE moves one LEA's due time later (SPEC §3.2, §3.6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from kernel.errors import ErrorCode, UserErrorData, user_error
from mailers import outbox
from mailers.compose import MailKind
from models import LeaCycle
from models.access.permits import ADMINISTER_SUBMISSIONS
from models.shared.deadlines import to_pacific
from models.shared.enums import CycleStatus
from models.submissions.refusal import cycle_not_open
from resolvers.shared import audit_log
from resolvers.shared.principal import Principal
from resolvers.submissions import mail_context as workflow_mail
from resolvers.submissions.history import record_event
from resolvers.submissions.target import Target, find_target
from resolvers.submissions.transition import Outcome, refused

ACTION = "extend"


@dataclass(frozen=True)
class GrantExtension:
    cycle: str
    cds_code: str
    due_at: datetime


def _due_error(target: Target, due_at: datetime) -> UserErrorData | None:
    if due_at.tzinfo is None or due_at.utcoffset() is None:
        return user_error(
            ErrorCode.INVALID_INPUT,
            "dueAt must carry an explicit UTC offset, e.g. 2025-07-15T23:59:00-07:00.",
            "input",
            "dueAt",
        )
    current = target.due_at
    if due_at <= current:
        return user_error(
            ErrorCode.INVALID_INPUT,
            f"dueAt must be later than the current due time {to_pacific(current).isoformat()}.",
            "input",
            "dueAt",
        )
    return None


class _Lost(Exception):
    pass


async def audit_extension(
    tx: BaseDBAsyncClient,
    principal: Principal,
    found: Target,
    previous: datetime,
    due_at: datetime,
    now: datetime,
    detail: dict[str, str] | None = None,
) -> None:
    """The audit event of a moved due time (an extension, or a reopen's new due time)."""
    await audit_log.record(
        "submission.extend",
        now,
        principal=principal,
        cycle_id=found.cycle.id,
        target=found.cds_code,
        detail={
            "previous_due_at": previous.isoformat(),
            "due_at": due_at.isoformat(),
            **(detail or {}),
        },
        using=tx,
    )


async def grant_extension(principal: Principal, command: GrantExtension, now: datetime) -> Outcome:
    found = await find_target(principal, command.cycle, command.cds_code, ADMINISTER_SUBMISSIONS)
    if isinstance(found, UserErrorData):
        return refused(found)
    if found.cycle.status is not CycleStatus.OPEN:
        return refused(found, cycle_not_open(found.cycle.name, found.cycle.status))
    bad = _due_error(found, command.due_at)
    if bad is not None:
        return refused(found, bad)
    membership, row = found.membership, found.submission
    previous = found.due_at
    try:
        async with in_transaction() as tx:
            unchanged: dict[str, object] = (
                {"due_at_extension": membership.due_at_extension}
                if membership.due_at_extension is not None
                else {"due_at_extension__isnull": True}
            )
            won = (
                await LeaCycle.filter(id=membership.id, **unchanged)
                .using_db(tx)
                .update(due_at_extension=command.due_at)
            )
            if won != 1:
                raise _Lost
            membership.due_at_extension = command.due_at
            if row is not None:
                await record_event(
                    tx, row, principal=principal, action=ACTION, from_status=row.status, at=now
                )
            await audit_extension(tx, principal, found, previous, command.due_at, now)
            recipients = workflow_mail.lea_contact(found)
            if row is not None:
                recipients += workflow_mail.submitter(row)
            await outbox.queue(
                MailKind.EXTENSION_GRANTED,
                event_key=f"extension:{membership.id}:{command.due_at.astimezone(UTC).isoformat()}",
                recipients=recipients,
                context=workflow_mail.context(
                    found, previous_due_at=previous, new_due_at=command.due_at
                ),
                now=now,
                cycle_id=found.cycle.id,
                using=tx,
            )
    except _Lost:
        return refused(
            found,
            user_error(
                ErrorCode.VERSION_CONFLICT,
                "The due time changed meanwhile; reload and try again.",
                "input",
                "dueAt",
            ),
        )
    return Outcome(row, found.sample_size)
