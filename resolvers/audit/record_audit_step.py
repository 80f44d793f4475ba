"""``recordAuditStep``: CDE records the audit of one drawn LEA (SPEC §3.7): documents requested,
reviewed, and the outcome, each step compare-and-set on the selection's version, in the audit
log, and (for an outcome) mailed to the LEA and its SELPA."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.transactions import in_transaction

from kernel.errors import ErrorCode, UserErrorData, user_error
from mailers.compose import MailKind
from mailers.outbox import queue
from models import AuditSelection, LeaCycle, Submission
from models.access.permits import ADMINISTER_CYCLES
from models.audit.findings import AuditState, Counts, discrepancy_problem, step_problem
from models.shared import identifiers as formats
from models.shared.enums import AuditOutcome, AuditStep, CycleStatus, SubmissionStatus
from resolvers.shared import audit_log, reasons, scope
from resolvers.shared.principal import Principal

OUTCOMES = {
    AuditStep.CONFIRM: AuditOutcome.CONFIRMED,
    AuditStep.RECORD_DISCREPANCY: AuditOutcome.DISCREPANCY,
    AuditStep.MARK_CORRECTED: AuditOutcome.CORRECTED,
}


@dataclass(frozen=True)
class RecordAuditStep:
    cycle: str
    cds_code: str
    step: AuditStep
    verified: Counts | None = None
    note: str | None = None


@dataclass(frozen=True)
class AuditStepOutcome:
    selection: AuditSelection | None = None
    errors: tuple[UserErrorData, ...] = ()


def _no(code: ErrorCode, message: str, *field: str) -> AuditStepOutcome:
    return AuditStepOutcome(errors=(user_error(code, message, *field),))


def _state(row: AuditSelection) -> AuditState:
    return AuditState(
        row.documents_requested_at is not None,
        row.documents_reviewed_at is not None,
        row.outcome,
    )


def _counts(row: Submission) -> Counts:
    return (row.count_a or 0, row.count_b or 0, row.count_c or 0)


async def record_audit_step(
    principal: Principal, command: RecordAuditStep, now: datetime
) -> AuditStepOutcome:
    if problem := formats.cycle_name_problem(command.cycle):
        return _no(ErrorCode.INVALID_INPUT, formats.field_message("cycle", problem), "cycle")
    if problem := formats.cds_code_problem(command.cds_code):
        return _no(ErrorCode.INVALID_INPUT, formats.field_message("cdsCode", problem), "cdsCode")
    cycle = await scope.cycles(principal).filter(name=command.cycle).first()
    if cycle is None:
        return _no(ErrorCode.NOT_FOUND, f"There is no cycle {command.cycle}.", "cycle")
    scope.authorize(principal, ADMINISTER_CYCLES)
    if cycle.status is CycleStatus.DRAFT:
        return _no(ErrorCode.CYCLE_NOT_OPEN, f"Cycle {cycle.name} has not opened.", "cycle")
    row = await AuditSelection.get_or_none(cycle=cycle, lea__cds_code=command.cds_code)
    if row is None:
        return _no(
            ErrorCode.NOT_FOUND,
            f"LEA {command.cds_code} was not drawn for the audit of {cycle.name}.",
            "cdsCode",
        )
    if problem := step_problem(command.step, _state(row)):
        return _no(ErrorCode.INVALID_STATE, f"{command.step.value}: {problem}.", "step")
    submission = await Submission.get(cycle=cycle, lea_id=row.lea_id)
    changes: dict[str, Any] = {}
    if command.step is AuditStep.REQUEST_DOCUMENTS:
        changes["documents_requested_at"] = now
    elif command.step is AuditStep.MARK_REVIEWED:
        changes["documents_reviewed_at"] = now
    else:
        refusal = _outcome_changes(command, row, submission, changes)
        if refusal is not None:
            return AuditStepOutcome(row, (refusal,))
        changes.update(outcome=OUTCOMES[command.step], outcome_at=now)
    async with in_transaction() as tx:
        won = (
            await AuditSelection.filter(id=row.id, version=row.version)
            .using_db(tx)
            .update(version=row.version + 1, **changes)
        )
        if won != 1:
            return AuditStepOutcome(
                row,
                (user_error(ErrorCode.VERSION_CONFLICT, "The audit changed meanwhile.", "step"),),
            )
        fresh = await AuditSelection.filter(id=row.id).using_db(tx).get()
        detail: dict[str, Any] = {"step": command.step.value, "status": _state(fresh).status}
        if fresh.verified_a is not None:
            detail["verified"] = [fresh.verified_a, fresh.verified_b, fresh.verified_c]
            detail["certified"] = [fresh.certified_a, fresh.certified_b, fresh.certified_c]
        await audit_log.record(
            f"audit.{command.step.value.lower()}",
            now,
            principal=principal,
            cycle_id=cycle.id,
            target=command.cds_code,
            detail=detail,
            using=tx,
        )
        if command.step in OUTCOMES:
            member = (
                await LeaCycle.filter(cycle_id=cycle.id, lea_id=row.lea_id)
                .using_db(tx)
                .select_related("lea", "selpa")
                .get()
            )
            await queue(
                MailKind.AUDIT_OUTCOME,
                event_key=f"audit-outcome:{row.id}:{fresh.version}",
                recipients=[
                    member.contact_email,
                    member.selpa.contact_email if member.selpa else "",
                ],
                context={
                    "cycle": cycle.name,
                    "lea_name": member.lea.name,
                    "cds_code": command.cds_code,
                    "selpa_name": member.selpa.name if member.selpa else "",
                    "selpa_code": member.selpa.code if member.selpa else "",
                    "due_at": cycle.due_at,
                    "outcome": fresh.outcome.value if fresh.outcome else "",
                    "certified": [fresh.certified_a, fresh.certified_b, fresh.certified_c],
                    "verified": [fresh.verified_a, fresh.verified_b, fresh.verified_c],
                    "note": fresh.note or "",
                    "at": now,
                },
                now=now,
                cycle_id=cycle.id,
                using=tx,
            )
    return AuditStepOutcome(fresh)


def _outcome_changes(
    command: RecordAuditStep, row: AuditSelection, submission: Submission, changes: dict[str, Any]
) -> UserErrorData | None:
    certified = _counts(submission)
    if command.step is AuditStep.MARK_CORRECTED:
        verified = (row.verified_a, row.verified_b, row.verified_c)
        reapproved = (
            submission.status is SubmissionStatus.APPROVED
            and submission.reviewed_at is not None
            and row.outcome_at is not None
            and submission.reviewed_at > row.outcome_at
        )
        if not reapproved or certified != verified:
            return user_error(
                ErrorCode.INVALID_STATE,
                "The submission must be reopened and approved again with the verified counts.",
                "step",
            )
        return None
    changes.update(certified_a=certified[0], certified_b=certified[1], certified_c=certified[2])
    if command.step is AuditStep.CONFIRM:
        changes.update(verified_a=certified[0], verified_b=certified[1], verified_c=certified[2])
        changes["note"] = reasons.clean(command.note)
        return reasons.reason_error(command.note, required=False)
    if command.verified is None:
        return user_error(ErrorCode.INVALID_INPUT, "Give the verified counts.", "input", "countA")
    if problem := discrepancy_problem(certified, command.verified):
        return user_error(ErrorCode.INVALID_INPUT, problem, "input", "countA")
    if bad := reasons.reason_error(command.note, required=True):
        return user_error(bad.code, bad.message, "input", "note")
    a, b, c = command.verified
    changes.update(verified_a=a, verified_b=b, verified_c=c, note=reasons.clean(command.note))
    return None
