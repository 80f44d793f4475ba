"""The audit of one drawn LEA, step by step, and the audit summary (SPEC §3.7); pure rules.

Documents are requested, then reviewed; the outcome is CONFIRMED, or DISCREPANCY with the
verified counts beside the certified ones; a discrepancy becomes CORRECTED once the LEA's
submission was reopened and approved again with the verified counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.shared.enums import AuditOutcome, AuditStep
from models.worksheet.categories import percent_half_up

Counts = tuple[int, int, int]


@dataclass(frozen=True)
class AuditState:
    requested: bool
    reviewed: bool
    outcome: AuditOutcome | None

    @property
    def status(self) -> str:
        if self.outcome is not None:
            return self.outcome.value
        if self.reviewed:
            return "DOCUMENTS_REVIEWED"
        return "DOCUMENTS_REQUESTED" if self.requested else "SELECTED"


def step_problem(step: AuditStep, state: AuditState) -> str | None:
    """Why ``step`` does not follow from ``state``; None when it does."""
    if step is AuditStep.MARK_CORRECTED:
        if state.outcome is AuditOutcome.DISCREPANCY:
            return None
        return "only a DISCREPANCY can be marked corrected"
    if state.outcome is not None:
        return f"the audit is concluded ({state.outcome.value})"
    if step is AuditStep.REQUEST_DOCUMENTS:
        return "documents were requested already" if state.requested else None
    if step is AuditStep.MARK_REVIEWED:
        if not state.requested:
            return "request the documents first"
        return "the documents were reviewed already" if state.reviewed else None
    return None if state.reviewed else "review the documents first"


def discrepancy_problem(certified: Counts, verified: Counts) -> str | None:
    """Verified counts cover the same sampled students as the certified ones, differently."""
    if any(v < 0 for v in verified):
        return "verified counts must be 0 or more"
    if sum(verified) != sum(certified):
        return f"verified counts must total the {sum(certified)} sampled students"
    if verified == certified:
        return "verified counts equal the certified ones: record CONFIRM instead"
    return None


def students_moved(certified: Counts, verified: Counts) -> int:
    """Students the audit placed in another category (totals agree, so half the difference)."""
    return sum(abs(c - v) for c, v in zip(certified, verified, strict=True)) // 2


@dataclass(frozen=True)
class AuditSummary:
    audited: int
    concluded: int
    confirmed: int
    discrepancies: int
    corrected: int
    students_moved: int

    @property
    def agreement_rate(self) -> str | None:
        """Confirmed / concluded, two decimals, half-up; None before any outcome."""
        return percent_half_up(self.confirmed, self.concluded)


def summarize(
    audited: int, findings: list[tuple[AuditOutcome, Counts | None, Counts | None]]
) -> AuditSummary:
    """``findings``: (outcome, certified, verified) of each concluded audit."""
    confirmed = sum(1 for o, _, _ in findings if o is AuditOutcome.CONFIRMED)
    corrected = sum(1 for o, _, _ in findings if o is AuditOutcome.CORRECTED)
    moved = sum(students_moved(c, v) for o, c, v in findings if c and v and o is not None)
    return AuditSummary(
        audited=audited,
        concluded=len(findings),
        confirmed=confirmed,
        discrepancies=len(findings) - confirmed,
        corrected=corrected,
        students_moved=moved,
    )
