"""``AuditFinding`` and ``AuditSummary``: what the audit of each drawn LEA found (CDE)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models import AuditSelection
from models.audit.findings import AuditState
from models.audit.findings import AuditSummary as SummaryData
from models.shared.deadlines import to_pacific
from models.shared.enums import AuditOutcome as OutcomeEnum
from models.shared.enums import AuditStep as StepEnum

AuditOutcome = strawberry.enum(
    OutcomeEnum,
    name="AuditOutcome",
    description="An audit's outcome: CONFIRMED, DISCREPANCY (verified counts differ), or "
    "CORRECTED (re-approved with the verified counts).",
)
AuditStep = strawberry.enum(
    StepEnum,
    name="AuditStep",
    description="A step of one LEA's audit: REQUEST_DOCUMENTS, MARK_REVIEWED, then CONFIRM or "
    "RECORD_DISCREPANCY; MARK_CORRECTED after a discrepancy was re-approved.",
)


def _pacific(value: datetime | None) -> datetime | None:
    return to_pacific(value) if value is not None else None


@strawberry.type(description="The audit of one LEA drawn for a cycle's audit.")
class AuditFinding:
    row: strawberry.Private[AuditSelection]

    @strawberry.field(description="The LEA's 14-digit CDS code.")
    def cds_code(self) -> str:
        return self.row.lea.cds_code

    @strawberry.field(description="The LEA's name.")
    def lea_name(self) -> str:
        return self.row.lea.name

    @strawberry.field(description="The LEA's rank in the audit draw (1 first).")
    def rank(self) -> int:
        return self.row.rank

    @strawberry.field(
        description="SELECTED, DOCUMENTS_REQUESTED, DOCUMENTS_REVIEWED, or the outcome."
    )
    def status(self) -> str:
        row = self.row
        state = AuditState(
            row.documents_requested_at is not None,
            row.documents_reviewed_at is not None,
            row.outcome,
        )
        return state.status

    @strawberry.field(description="When the documents were requested (Pacific); null before.")
    def documents_requested_at(self) -> datetime | None:
        return _pacific(self.row.documents_requested_at)

    @strawberry.field(description="When the documents were reviewed (Pacific); null before.")
    def documents_reviewed_at(self) -> datetime | None:
        return _pacific(self.row.documents_reviewed_at)

    @strawberry.field(description="The outcome; null until recorded.")
    def outcome(self) -> AuditOutcome | None:  # type: ignore[valid-type]
        return self.row.outcome

    @strawberry.field(description="When the outcome was last recorded (Pacific); null before.")
    def outcome_at(self) -> datetime | None:
        return _pacific(self.row.outcome_at)

    @strawberry.field(description="The certified counts [A, B, C] the outcome was judged on.")
    def certified_counts(self) -> list[int] | None:
        r = self.row
        values = (r.certified_a, r.certified_b, r.certified_c)
        return None if None in values else [int(v or 0) for v in values]

    @strawberry.field(description="The counts [A, B, C] the documents support; null before.")
    def verified_counts(self) -> list[int] | None:
        r = self.row
        values = (r.verified_a, r.verified_b, r.verified_c)
        return None if None in values else [int(v or 0) for v in values]

    @strawberry.field(description="CDE's note on the outcome (required for a discrepancy).")
    def note(self) -> str | None:
        return self.row.note


@strawberry.type(description="A cycle's audit in figures (CDE).")
class AuditSummary:
    data: strawberry.Private[SummaryData]

    @strawberry.field(description="LEAs drawn for the audit.")
    def audited(self) -> int:
        return self.data.audited

    @strawberry.field(description="Audits with an outcome recorded.")
    def concluded(self) -> int:
        return self.data.concluded

    @strawberry.field(description="Audits whose documents confirmed the certified counts.")
    def confirmed(self) -> int:
        return self.data.confirmed

    @strawberry.field(description="Audits that found a discrepancy (corrected or not).")
    def discrepancies(self) -> int:
        return self.data.discrepancies

    @strawberry.field(description="Discrepancies since corrected by a re-approval.")
    def corrected(self) -> int:
        return self.data.corrected

    @strawberry.field(description="Students the audits placed in another category than certified.")
    def students_moved(self) -> int:
        return self.data.students_moved

    @strawberry.field(
        description="Confirmed / concluded as a percentage, two decimals, half-up; null "
        "before any outcome."
    )
    def agreement_rate(self) -> str | None:
        return self.data.agreement_rate
