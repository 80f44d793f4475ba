"""The ``Submission`` type with its submitter and event history."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import strawberry

from models import Submission as SubmissionRow
from models import SubmissionEvent as EventRow
from models.shared.deadlines import to_pacific
from models.shared.enums import ReviewDecision, SubmissionStatus
from resolvers.submissions.submission_reads import submission_fields
from schema.shared.context import Info
from schema.shared.time import shown


@strawberry.type(description="The person who submitted, as given at the latest submission.")
class Submitter:
    name: str | None = strawberry.field(description="The submitter's name.")
    title: str | None = strawberry.field(description="The submitter's job title.")
    email: str | None = strawberry.field(description="The submitter's email address.")
    phone: str | None = strawberry.field(
        description="The submitter's US phone number, as 916-555-0100."
    )
    phone_ext: str | None = strawberry.field(description="The phone extension; null when none.")


@strawberry.type(description="Who reviewed a submission: role, SELPA code, and name when given.")
class Reviewer:
    role: str = strawberry.field(description="The reviewer's role: SELPA.")
    scope: str = strawberry.field(description="The reviewer's SELPA code.")
    name: str | None = strawberry.field(
        description="The name given as reviewerName; null when none was given."
    )
    title: str | None = strawberry.field(
        default=None, description="The title given as reviewerTitle (required to approve)."
    )


@strawberry.type(
    description="One entry of a submission's history: who did what, from which status to "
    "which, and the counts after it."
)
class SubmissionEvent:
    row: strawberry.Private[EventRow]

    @strawberry.field(description="When it happened (Pacific time).")
    def at(self) -> datetime:
        return to_pacific(self.row.at)

    @strawberry.field(description="The actor's role, e.g. LEA, SELPA or CDE_ADMIN.")
    def actor_role(self) -> str:
        return self.row.actor_role

    @strawberry.field(description="SELPA code, CDS code or CDE role of the actor.")
    def actor_scope(self) -> str:
        return self.row.actor_scope

    @strawberry.field(description="The submitter's or reviewer's name, where given.")
    def actor_name(self) -> str | None:
        return self.row.actor_name

    @strawberry.field(description="What was done: save, submit, approve, reject, reopen or extend.")
    def action(self) -> str:
        return self.row.action

    @strawberry.field(description="The status before the action.")
    def from_status(self) -> SubmissionStatus:
        return self.row.from_status

    @strawberry.field(description="The status after the action (unchanged by extend).")
    def to_status(self) -> SubmissionStatus:
        return self.row.to_status

    @strawberry.field(description="The submission's version after the action.")
    def version(self) -> int:
        return self.row.version

    @strawberry.field(description="Count A after the action; null while no counts were saved.")
    def count_a(self) -> int | None:
        return self.row.count_a

    @strawberry.field(description="Count B after the action; null while no counts were saved.")
    def count_b(self) -> int | None:
        return self.row.count_b

    @strawberry.field(description="Count C after the action; null while no counts were saved.")
    def count_c(self) -> int | None:
        return self.row.count_c

    @strawberry.field(description="The reason given to reject or reopen; null otherwise.")
    def reason(self) -> str | None:
        return self.row.reason


def _total(a: int | None, b: int | None, c: int | None) -> int | None:
    return None if a is None or b is None or c is None else a + b + c


@strawberry.type(
    description="An LEA's submission of the three category counts for one cycle, with its "
    "review and history."
)
class Submission:
    submission_id: strawberry.Private[int]
    sample_size: int = strawberry.field(description="Number of sampled SSIDs.")
    status: SubmissionStatus = strawberry.field(
        description="Where the submission stands in the workflow."
    )
    version: int = strawberry.field(
        description="Bumped on every change; pass it back as expectedVersion."
    )
    count_a: int | None = strawberry.field(
        description="Students in category A (95 % or more); null until counts are saved."
    )
    count_b: int | None = strawberry.field(
        description="Students in category B (90 % to under 95 %); null until counts are saved."
    )
    count_c: int | None = strawberry.field(
        description="Students in category C (under 90 %); null until counts are saved."
    )
    total: int | None = strawberry.field(
        description="countA + countB + countC; null until counts are saved."
    )
    total_matches_sample: bool = strawberry.field(
        description="True when the total equals the sample size, as submitting requires."
    )
    submitter: Submitter | None = strawberry.field(
        description="The contact given at the latest submission; null before the first."
    )
    certification_text: str | None = strawberry.field(
        description="The certification statement exactly as it was accepted."
    )
    certified_at: datetime | None = strawberry.field(
        description="When the certification was accepted at the latest submission (Pacific time)."
    )
    submitted_at: datetime | None = strawberry.field(
        description="When it was last submitted (Pacific time); null before the first submission."
    )
    first_submitted_at: datetime | None = strawberry.field(
        description="When it was first submitted (Pacific time): timeliness is judged by this."
    )
    review_decision: ReviewDecision | None = strawberry.field(
        description="The SELPA's decision on the latest submission; null until it is reviewed."
    )
    rejection_reason: str | None = strawberry.field(
        description="The SELPA's reason for rejecting; null unless the latest review rejected."
    )
    reviewer: Reviewer | None = strawberry.field(
        description="Who reviewed the latest submission; null until reviewed."
    )
    review_certification_text: str | None = strawberry.field(
        description="The SELPA certification statement the approving reviewer certified; null "
        "unless the latest review approved."
    )
    self_reviewed: bool = strawberry.field(
        description="True when the approving SELPA had itself entered and submitted the counts."
    )
    reviewed_at: datetime | None = strawberry.field(
        description="When the latest submission was reviewed (Pacific time); null until then."
    )
    approved_at: datetime | None = strawberry.field(
        description="When the SELPA approved it; null unless APPROVED."
    )

    @classmethod
    def of(cls, row: Mapping[str, Any], sample_size: int) -> Submission:
        """The submission shown from its plain column values (``SUBMISSION_COLUMNS``)."""
        status = SubmissionStatus(row["status"])
        decision = row["review_decision"]
        counts = (row["count_a"], row["count_b"], row["count_c"])
        total = _total(*counts)
        reviewed = shown(row["reviewed_at"])
        return cls(
            submission_id=row["id"],
            sample_size=sample_size,
            status=status,
            version=row["version"],
            count_a=counts[0],
            count_b=counts[1],
            count_c=counts[2],
            total=total,
            total_matches_sample=total == sample_size,
            submitter=None
            if row["submitter_name"] is None
            else Submitter(
                name=row["submitter_name"],
                title=row["submitter_title"],
                email=row["submitter_email"],
                phone=row["submitter_phone"],
                phone_ext=row["submitter_phone_ext"],
            ),
            certification_text=row["certification_text"],
            certified_at=shown(row["certified_at"]),
            submitted_at=shown(row["submitted_at"]),
            first_submitted_at=shown(row["first_submitted_at"]),
            review_decision=None if decision is None else ReviewDecision(decision),
            rejection_reason=row["rejection_reason"],
            reviewer=None
            if row["reviewer_role"] is None
            else Reviewer(
                role=row["reviewer_role"],
                scope=row["reviewer_scope"] or "",
                name=row["reviewer_name"],
                title=row["reviewer_title"],
            ),
            review_certification_text=row["review_certification_text"],
            self_reviewed=bool(row["self_reviewed"]),
            reviewed_at=reviewed,
            approved_at=reviewed if status is SubmissionStatus.APPROVED else None,
        )

    @classmethod
    def of_row(cls, row: SubmissionRow, sample_size: int) -> Submission:
        """The submission shown from a loaded row."""
        return cls.of(submission_fields(row), sample_size)

    @strawberry.field(description="The submission's history, oldest first.")
    async def events(self, info: Info) -> list[SubmissionEvent]:
        rows = await info.context.loaders.events.load(self.submission_id)
        return [SubmissionEvent(row=row) for row in rows]
