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


@strawberry.type
class Submitter:
    name: str | None
    title: str | None
    email: str | None
    phone: str | None
    phone_ext: str | None


@strawberry.type(description="Who reviewed a submission: role, SELPA code, and name when given.")
class Reviewer:
    role: str
    scope: str
    name: str | None


@strawberry.type
class SubmissionEvent:
    row: strawberry.Private[EventRow]

    @strawberry.field
    def at(self) -> datetime:
        return to_pacific(self.row.at)

    @strawberry.field
    def actor_role(self) -> str:
        return self.row.actor_role

    @strawberry.field(description="SELPA code, CDS code or CDE role of the actor.")
    def actor_scope(self) -> str:
        return self.row.actor_scope

    @strawberry.field(description="The submitter's or reviewer's name, where given.")
    def actor_name(self) -> str | None:
        return self.row.actor_name

    @strawberry.field
    def action(self) -> str:
        return self.row.action

    @strawberry.field
    def from_status(self) -> SubmissionStatus:
        return self.row.from_status

    @strawberry.field
    def to_status(self) -> SubmissionStatus:
        return self.row.to_status

    @strawberry.field
    def version(self) -> int:
        return self.row.version

    @strawberry.field
    def count_a(self) -> int | None:
        return self.row.count_a

    @strawberry.field
    def count_b(self) -> int | None:
        return self.row.count_b

    @strawberry.field
    def count_c(self) -> int | None:
        return self.row.count_c

    @strawberry.field
    def reason(self) -> str | None:
        return self.row.reason


def total_of(row: SubmissionRow) -> int | None:
    counts = (row.count_a, row.count_b, row.count_c)
    return None if any(c is None for c in counts) else sum(c or 0 for c in counts)


@strawberry.type
class Submission:
    row: strawberry.Private[SubmissionRow]
    sample_size: int = strawberry.field(description="Number of sampled SSIDs.")

    @strawberry.field
    def status(self) -> SubmissionStatus:
        return self.row.status

    @strawberry.field(description="Bumped on every change; pass it back as expectedVersion.")
    def version(self) -> int:
        return self.row.version

    @strawberry.field
    def count_a(self) -> int | None:
        return self.row.count_a

    @strawberry.field
    def count_b(self) -> int | None:
        return self.row.count_b

    @strawberry.field
    def count_c(self) -> int | None:
        return self.row.count_c

    @strawberry.field
    def total(self) -> int | None:
        return total_of(self.row)

    @strawberry.field
    def total_matches_sample(self) -> bool:
        return total_of(self.row) == self.sample_size

    @strawberry.field
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

    @strawberry.field
    def certified_at(self) -> datetime | None:
        return shown(self.row.certified_at)

    @strawberry.field
    def submitted_at(self) -> datetime | None:
        return shown(self.row.submitted_at)

    @strawberry.field
    def first_submitted_at(self) -> datetime | None:
        return shown(self.row.first_submitted_at)

    @strawberry.field
    def review_decision(self) -> ReviewDecision | None:
        return self.row.review_decision

    @strawberry.field
    def rejection_reason(self) -> str | None:
        return self.row.rejection_reason

    @strawberry.field
    def reviewer(self) -> Reviewer | None:
        row = self.row
        if row.reviewer_role is None:
            return None
        return Reviewer(
            role=row.reviewer_role, scope=row.reviewer_scope or "", name=row.reviewer_name
        )

    @strawberry.field
    def reviewed_at(self) -> datetime | None:
        return shown(self.row.reviewed_at)

    @strawberry.field(description="When the SELPA approved it; null unless APPROVED.")
    def approved_at(self) -> datetime | None:
        if self.row.status is not SubmissionStatus.APPROVED:
            return None
        return shown(self.row.reviewed_at)

    @strawberry.field
    async def events(self, info: Info) -> list[SubmissionEvent]:
        rows = await info.context.loaders.events.load(self.row.id)
        return [SubmissionEvent(row=row) for row in rows]
