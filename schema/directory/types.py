"""``Selpa`` and ``Lea`` as seen in one cycle."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from models import LeaCycle
from models import Selpa as SelpaRow
from models.shared.deadlines import effective_due, to_pacific
from models.shared.enums import SubmissionStatus
from resolvers.directory import queries as directory_queries
from resolvers.shared import arguments
from schema.cycles.types import Cycle
from schema.directory.students import SampledStudent
from schema.shared import descriptions as doc
from schema.shared.context import Info
from schema.shared.pagination import Connection, connection
from schema.shared.permissions import SeesStudents
from schema.submissions.types import Submission
from schema.worksheet.types import Worksheet


@strawberry.type(description="LEAs of a SELPA per submission status; exempt LEAs apart.")
class LeaStatusCounts:
    not_started: int = strawberry.field(
        description="Required LEAs whose submission is NOT_STARTED."
    )
    draft: int = strawberry.field(description="Required LEAs whose submission is DRAFT.")
    submitted: int = strawberry.field(
        description="Required LEAs whose submission is SUBMITTED (awaiting review)."
    )
    approved: int = strawberry.field(description="Required LEAs whose submission is APPROVED.")
    rejected: int = strawberry.field(description="Required LEAs whose submission is REJECTED.")
    exempt: int = strawberry.field(
        description="LEAs not required this cycle; counted in none of the other fields."
    )
    required: int = strawberry.field(
        description="The required LEAs counted here: the sum of the five status counts."
    )


@strawberry.type(description="A SELPA (Special Education Local Plan Area) as seen in one cycle.")
class Selpa:
    row: strawberry.Private[SelpaRow]
    cycle_id: strawberry.Private[int]

    @strawberry.field(description="The SELPA's 4-digit code.")
    def code(self) -> str:
        return self.row.code

    @strawberry.field(description="The SELPA's name.")
    def name(self) -> str:
        return self.row.name

    @strawberry.field(
        description="The SELPA contact, who receives review requests, reopening and audit notices."
    )
    def contact_name(self) -> str:
        return self.row.contact_name

    @strawberry.field(description="The SELPA contact's email address.")
    def contact_email(self) -> str:
        return self.row.contact_email

    @strawberry.field(description="The SELPA's member LEAs in this cycle, in CDS-code order.")
    async def leas(
        self,
        info: Info,
        status: Annotated[
            SubmissionStatus | None,
            strawberry.argument(description="Only required LEAs whose submission has this status."),
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=doc.FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=doc.AFTER)] = None,
    ) -> Connection[Lea]:
        return await lea_connection(info, self.cycle_id, self.row.id, status, first, after)

    @strawberry.field(
        description="The SELPA's active LEAs in this cycle by submission status, within the "
        "caller's scope."
    )
    async def lea_status_counts(self, info: Info) -> LeaStatusCounts:
        principal = info.context.require_principal()
        counts = await directory_queries.status_counts(principal, self.cycle_id, self.row.id)
        required = sum(counts[s.value] for s in SubmissionStatus)
        return LeaStatusCounts(
            not_started=counts["NOT_STARTED"],
            draft=counts["DRAFT"],
            submitted=counts["SUBMITTED"],
            approved=counts["APPROVED"],
            rejected=counts["REJECTED"],
            exempt=counts["EXEMPT"],
            required=required,
        )


@strawberry.type(description="An LEA (district, charter or county office) in one cycle.")
class Lea:
    row: strawberry.Private[LeaCycle]

    @strawberry.field(description="The LEA's 14-digit CDS code.")
    def cds_code(self) -> str:
        return self.row.lea.cds_code

    @strawberry.field(description="The LEA's name.")
    def name(self) -> str:
        return self.row.lea.name

    @strawberry.field(description="district, charter or county office.")
    def kind(self) -> str:
        return self.row.lea.kind

    @strawberry.field(description="County code: the first two digits of the CDS code.")
    def county(self) -> str:
        return self.row.lea.cds_code[:2]

    @strawberry.field(description="The cycle this view of the LEA belongs to.")
    async def cycle(self, info: Info) -> Cycle:
        row = await info.context.loaders.cycle.load(self.row.cycle_id)
        assert row is not None
        return Cycle(row=row)

    @strawberry.field(description="The LEA's SELPA in this cycle; null when it has none.")
    async def selpa(self, info: Info) -> Selpa | None:
        selpa_id: int | None = self.row.selpa_id
        if selpa_id is None:
            return None
        row = await info.context.loaders.selpa.load(selpa_id)
        return Selpa(row=row, cycle_id=self.row.cycle_id) if row else None

    @strawberry.field(
        description="False when the LEA takes no part in this cycle: no mutation acts on it and "
        "reports leave it out."
    )
    def active(self) -> bool:
        return self.row.active

    @strawberry.field(description="False when the LEA is exempt this cycle.")
    def required(self) -> bool:
        return self.row.required

    @strawberry.field(description="Why the LEA is exempt this cycle; null when it is required.")
    def exempt_reason(self) -> str | None:
        return None if self.row.required else self.row.exempt_reason

    @strawberry.field(description="The special-education director who receives notices.")
    def contact_name(self) -> str:
        return self.row.contact_name

    @strawberry.field(
        description="The LEA contact's email, where reminders and extension notices go."
    )
    def contact_email(self) -> str:
        return self.row.contact_email

    @strawberry.field(description="The LEA's due time: the cycle's, or its later extension.")
    async def due_at(self, info: Info) -> datetime:
        cycle = await info.context.loaders.cycle.load(self.row.cycle_id)
        assert cycle is not None
        return to_pacific(effective_due(cycle.due_at, self.row.due_at_extension))

    @strawberry.field(description="True when CDE granted the LEA a due-time extension.")
    def extended(self) -> bool:
        return self.row.due_at_extension is not None

    @strawberry.field(description="Students with disabilities on the LEA's roster (N).")
    def swd_count(self) -> int:
        return self.row.swd_count

    @strawberry.field(description="Number of sampled students (n); null before the draw.")
    def sample_size(self) -> int | None:
        return self.row.sample_size

    @strawberry.field(
        description="The LEA's submission this cycle; null until its sample is drawn."
    )
    async def submission(self, info: Info) -> Submission | None:
        return await submission_of(info, self.row)

    @strawberry.field(description="The minutes worksheet: derived counts; rows for PII roles.")
    def worksheet(self) -> Worksheet:
        return Worksheet(membership=self.row)

    @strawberry.field(
        permission_classes=[SeesStudents],
        description="The LEA's sampled students; search by name or SSID.",
    )
    async def sampled_students(
        self,
        info: Info,
        search: Annotated[
            str | None,
            strawberry.argument(
                description="An SSID prefix (digits), or words each found in a first or last "
                "name; at most 100 characters."
            ),
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=doc.FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=doc.AFTER)] = None,
    ) -> Connection[SampledStudent]:
        principal = info.context.require_principal()
        size = arguments.page_size(first)
        page = await directory_queries.student_page(
            principal,
            self.row.cycle_id,
            self.row.lea_id,
            search=arguments.search_text(search),
            first=size,
            after=arguments.decode_cursor("student", after),
        )
        return connection(
            [SampledStudent(row=row) for row in page.rows],  # type: ignore[arg-type]
            [arguments.encode_cursor("student", key) for key in page.keys],
            page.has_next,
            page.count,
        )


async def submission_of(info: Info, membership: LeaCycle) -> Submission | None:
    key = (membership.cycle_id, membership.lea_id)
    row = await info.context.loaders.submission.load(key)
    return Submission(row=row, sample_size=membership.sample_size or 0) if row else None


async def lea_connection(
    info: Info,
    cycle_id: int,
    selpa_id: int | None,
    status: SubmissionStatus | None,
    first: int | None,
    after: str | None,
) -> Connection[Lea]:
    principal = info.context.require_principal()
    page = await directory_queries.lea_page(
        principal,
        cycle_id,
        selpa_id=selpa_id,
        status=status,
        first=arguments.page_size(first),
        after=arguments.decode_cursor("lea", after),
    )
    return connection(
        [Lea(row=row) for row in page.rows],  # type: ignore[arg-type]
        [arguments.encode_cursor("lea", key) for key in page.keys],
        page.has_next,
        page.count,
    )
