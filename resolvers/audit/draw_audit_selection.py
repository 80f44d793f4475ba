"""``drawAuditSelection``: once per cycle, after its due time, CDE draws the LEAs to audit,
records the seed and the selection, and queues the notices, all in one transaction.

The population is the required active LEAs that submitted: an LEA made exempt after
submitting is not in it. LEAs whose extension still runs (not submitted yet, so not drawable)
are named in the answer, so that CDE can decide to wait.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from kernel.errors import ErrorCode, UserErrorData, user_error
from mailers.compose import MailKind
from mailers.outbox import queue
from models import Cycle, LeaCycle, Submission
from models.audit.draw import select_for_audit
from models.shared import identifiers as formats
from models.shared.deadlines import is_on_time
from models.shared.enums import CycleStatus, SubmissionStatus
from resolvers.shared import audit_log, bulk, scope
from resolvers.shared.principal import Principal

SUBMITTED = (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED)


@dataclass(frozen=True)
class AuditDrawResult:
    selected: list[LeaCycle] = field(default_factory=list)
    seed: str | None = None
    drawn_at: datetime | None = None
    errors: tuple[UserErrorData, ...] = ()
    waiting: list[str] = field(default_factory=list)
    """CDS codes of required LEAs not yet submitted whose extension still runs."""


class _NothingToDraw(Exception):
    pass


def _refuse(code: ErrorCode, message: str) -> AuditDrawResult:
    return AuditDrawResult(errors=(user_error(code, message, "cycle"),))


async def draw_audit_selection(
    principal: Principal,
    cycle_name: str,
    now: datetime,
    *,
    seed: str | None = None,
    client_address: str = "",
) -> AuditDrawResult:
    if problem := formats.cycle_name_problem(cycle_name):
        return _refuse(ErrorCode.INVALID_INPUT, formats.field_message("cycle", problem))
    cycle = await scope.cycles(principal).filter(name=cycle_name).first()
    if cycle is None:
        return _refuse(ErrorCode.NOT_FOUND, f"There is no cycle {cycle_name}.")
    if cycle.status is CycleStatus.DRAFT:
        return _refuse(ErrorCode.CYCLE_NOT_OPEN, f"Cycle {cycle_name} has not opened.")
    if cycle.audit_drawn_at is not None:
        return _refuse(ErrorCode.ALREADY_DONE, f"The audit of {cycle_name} was already drawn.")
    if is_on_time(now, cycle.due_at):
        return _refuse(ErrorCode.INVALID_STATE, "The audit is drawn after the cycle's due time.")
    seed = seed or secrets.token_hex(32)
    try:
        async with in_transaction() as tx:
            claimed = (
                await Cycle.filter(id=cycle.id, audit_drawn_at__isnull=True)
                .using_db(tx)
                .update(audit_seed=seed, audit_drawn_at=now)
            )
            if not claimed:
                return _refuse(
                    ErrorCode.ALREADY_DONE, f"The audit of {cycle_name} was already drawn."
                )
            active = LeaCycle.filter(cycle_id=cycle.id, active=True, required=True).values("lea_id")
            submitted = (
                await Submission.filter(
                    cycle_id=cycle.id, status__in=SUBMITTED, lea_id__in=Subquery(active)
                )
                .using_db(tx)
                .values_list("lea__cds_code", flat=True)
            )
            if not submitted:
                raise _NothingToDraw
            waiting = await _waiting(cycle, now, {str(cds) for cds in submitted}, tx)
            ranked = select_for_audit(seed, [str(cds) for cds in submitted])
            rank_of = {cds: (rank, key) for rank, (cds, key) in enumerate(ranked, start=1)}
            members = (
                await LeaCycle.filter(cycle_id=cycle.id, lea__cds_code__in=list(rank_of))
                .using_db(tx)
                .select_related("lea", "selpa")
            )
            members.sort(key=lambda m: rank_of[m.lea.cds_code][0])
            await bulk.insert_rows(
                tx,
                "audit_selection",
                ("cycle_id", "lea_id", "rank", "selection_key", "selected_at", "version"),
                [(cycle.id, m.lea.id, *rank_of[m.lea.cds_code], now, 0) for m in members],
            )
            for m in members:
                await queue(
                    MailKind.AUDIT_SELECTED,
                    event_key=f"audit-selected:{cycle.id}:{m.lea.cds_code}",
                    recipients=[m.contact_email, m.selpa.contact_email if m.selpa else ""],
                    context={
                        "cycle": cycle.name,
                        "lea_name": m.lea.name,
                        "cds_code": m.lea.cds_code,
                        "selpa_name": m.selpa.name if m.selpa else "",
                        "selpa_code": m.selpa.code if m.selpa else "",
                        "due_at": cycle.due_at,
                        "drawn_at": now,
                    },
                    now=now,
                    cycle_id=cycle.id,
                    using=tx,
                )
            await audit_log.record(
                "audit.drawn",
                now,
                principal=principal,
                cycle_id=cycle.id,
                target=cycle.name,
                client_address=client_address,
                detail={
                    "submitted": len(submitted),
                    "selected": [m.lea.cds_code for m in members],
                    "waiting_for_extension": waiting,
                },
                using=tx,
            )
    except _NothingToDraw:
        return _refuse(ErrorCode.INVALID_STATE, "No LEA has submitted; there is nothing to audit.")
    return AuditDrawResult(selected=members, seed=seed, drawn_at=now, waiting=waiting)


async def _waiting(
    cycle: Cycle, now: datetime, submitted: set[str], tx: BaseDBAsyncClient
) -> list[str]:
    running = await (
        LeaCycle.filter(
            cycle_id=cycle.id, active=True, required=True, due_at_extension__isnull=False
        )
        .using_db(tx)
        .order_by("lea__cds_code")
        .values_list("lea__cds_code", "due_at_extension")
    )
    return [
        str(cds) for cds, until in running if str(cds) not in submitted and is_on_time(now, until)
    ]
