"""The ``Submission`` type with its submitter and event history."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models import Submission as SubmissionRow
from models import SubmissionEvent as EventRow
from models.shared.deadlines import to_pacific
from models.shared.enums import ReviewDecision, SubmissionStatus
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


def total_of(row: SubmissionRow) -> int | None:
    counts = (row.count_a, row.count_b, row.count_c)
    return None if any(c is None for c in counts) else sum(c or 0 for c in counts)


@strawberry.type(
    description="An LEA's submission of the three category counts for one cycle, with its "
    "review and history."
)
class Submission:
    row: strawberry.Private[SubmissionRow]
    sample_size: int = strawberry.field(description="Number of sampled SSIDs.")

    @strawberry.field(description="Where the submission stands in the workflow.")
    def status(self) -> SubmissionStatus:
        return self.row.status

    @strawberry.field(description="Bumped on every change; pass it back as expectedVersion.")
    def version(self) -> int:
        return self.row.version

    @strawberry.field(
        description="Students in category A (95 % or more); null until counts are saved."
    )
    def count_a(self) -> int | None:
        return self.row.count_a

    @strawberry.field(
        description="Students in category B (90 % to under 95 %); null until counts are saved."
    )
    def count_b(self) -> int | None:
        return self.row.count_b

    @strawberry.field(
        description="Students in category C (under 90 %); null until counts are saved."
    )
    def count_c(self) -> int | None:
        return self.row.count_c

    @strawberry.field(description="countA + countB + countC; null until counts are saved.")
    def total(self) -> int | None:
        return total_of(self.row)

    @strawberry.field(
        description="True when the total equals the sample size, as submitting requires."
    )
    def total_matches_sample(self) -> bool:
        return total_of(self.row) == self.sample_size

    @strawberry.field(
        description="The contact given at the latest submission; null before the first."
    )
    def submitter(self) -> Submitter | None:
        row = self.row
        if row.submitter_name is None:
            return None
        return Submitter(
            name=row.submitter_name,
            title=row.submitter_title,
            email=row.submitter_email,
            phone=row.submitter_phone,
            phone_ext=row.submitter_phone_ext,
        )

    @strawberry.field(description="The certification statement exactly as it was accepted.")
    def certification_text(self) -> str | None:
        return self.row.certification_text

    @strawberry.field(
        description="When the certification was accepted at the latest submission (Pacific time)."
    )
    def certified_at(self) -> datetime | None:
        return shown(self.row.certified_at)

    @strawberry.field(
        description="When it was last submitted (Pacific time); null before the first submission."
    )
    def submitted_at(self) -> datetime | None:
        return shown(self.row.submitted_at)

    @strawberry.field(
        description="When it was first submitted (Pacific time): timeliness is judged by this."
    )
    def first_submitted_at(self) -> datetime | None:
        return shown(self.row.first_submitted_at)

    @strawberry.field(
        description="The SELPA's decision on the latest submission; null until it is reviewed."
    )
    def review_decision(self) -> ReviewDecision | None:
        return self.row.review_decision

    @strawberry.field(
        description="The SELPA's reason for rejecting; null unless the latest review rejected."
    )
    def rejection_reason(self) -> str | None:
        return self.row.rejection_reason

    @strawberry.field(description="Who reviewed the latest submission; null until reviewed.")
    def reviewer(self) -> Reviewer | None:
        row = self.row
        if row.reviewer_role is None:
            return None
        return Reviewer(
            role=row.reviewer_role,
            scope=row.reviewer_scope or "",
            name=row.reviewer_name,
            title=row.reviewer_title,
        )

    @strawberry.field(
        description="The SELPA certification statement the approving reviewer certified; null "
        "unless the latest review approved."
    )
    def review_certification_text(self) -> str | None:
        return self.row.review_certification_text

    @strawberry.field(
        description="True when the approving SELPA had itself entered and submitted the counts."
    )
    def self_reviewed(self) -> bool:
        return bool(self.row.self_reviewed)

    @strawberry.field(
        description="When the latest submission was reviewed (Pacific time); null until then."
    )
    def reviewed_at(self) -> datetime | None:
        return shown(self.row.reviewed_at)

    @strawberry.field(description="When the SELPA approved it; null unless APPROVED.")
    def approved_at(self) -> datetime | None:
        if self.row.status is not SubmissionStatus.APPROVED:
            return None
        return shown(self.row.reviewed_at)

    @strawberry.field(description="The submission's history, oldest first.")
    async def events(self, info: Info) -> list[SubmissionEvent]:
        rows = await info.context.loaders.events.load(self.row.id)
        return [SubmissionEvent(row=row) for row in rows]
