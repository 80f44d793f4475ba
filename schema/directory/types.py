"""``Selpa`` and ``Lea`` as seen in one cycle."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

import strawberry

from models import LeaCycle
from models import Selpa as SelpaRow
from models.shared.deadlines import effective_due, to_pacific
from models.shared.enums import SubmissionStatus
from resolvers.directory import queries as directory_queries
from resolvers.directory.lea_reads import memberships_by_id
from resolvers.shared import arguments
from resolvers.submissions.submission_reads import submission_values
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
    selpa_id: strawberry.Private[int]
    cycle_id: strawberry.Private[int]
    code: str = strawberry.field(description="The SELPA's 4-digit code.")
    name: str = strawberry.field(description="The SELPA's name.")
    contact_name: str = strawberry.field(
        description="The SELPA contact, who receives review requests, reopening and audit notices."
    )
    contact_email: str = strawberry.field(description="The SELPA contact's email address.")

    @classmethod
    def of(cls, row: SelpaRow, cycle_id: int) -> Selpa:
        return cls(
            selpa_id=row.id,
            cycle_id=cycle_id,
            code=row.code,
            name=row.name,
            contact_name=row.contact_name,
            contact_email=row.contact_email,
        )

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
        return await lea_connection(info, self.cycle_id, self.selpa_id, status, first, after)

    @strawberry.field(
        description="The SELPA's active LEAs in this cycle by submission status, within the "
        "caller's scope."
    )
    async def lea_status_counts(self, info: Info) -> LeaStatusCounts:
        principal = info.context.require_principal()
        counts = await directory_queries.status_counts(principal, self.cycle_id, self.selpa_id)
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
    cycle_id: strawberry.Private[int]
    lea_id: strawberry.Private[int]
    cds_code: str = strawberry.field(description="The LEA's 14-digit CDS code.")
    name: str = strawberry.field(description="The LEA's name.")
    kind: str = strawberry.field(description="district, charter or county office.")
    county: str = strawberry.field(description="County code: the first two digits of the CDS code.")
    selpa: Selpa | None = strawberry.field(
        description="The LEA's SELPA in this cycle; null when it has none."
    )
    active: bool = strawberry.field(
        description="False when the LEA takes no part in this cycle: no mutation acts on it and "
        "reports leave it out."
    )
    required: bool = strawberry.field(description="False when the LEA is exempt this cycle.")
    exempt_reason: str | None = strawberry.field(
        description="Why the LEA is exempt this cycle; null when it is required."
    )
    contact_name: str = strawberry.field(
        description="The special-education director who receives notices."
    )
    contact_email: str = strawberry.field(
        description="The LEA contact's email, where reminders and extension notices go."
    )
    due_at: datetime = strawberry.field(
        description="The LEA's due time: the cycle's, or its later extension."
    )
    extended: bool = strawberry.field(
        description="True when CDE granted the LEA a due-time extension."
    )
    swd_count: int = strawberry.field(
        description="Students with disabilities on the LEA's roster (N)."
    )
    sample_size: int | None = strawberry.field(
        description="Number of sampled students (n); null before the draw."
    )
    submission: Submission | None = strawberry.field(
        description="The LEA's submission this cycle; null until its sample is drawn."
    )

    @classmethod
    def of(cls, row: Mapping[str, Any], submission: Mapping[str, Any] | None) -> Lea:
        """The LEA shown from one joined membership row (``MEMBERSHIP_COLUMNS``) and its
        submission's columns, if it has one."""
        extension = row["due_at_extension"]
        selpa_id = row["selpa_id"]
        sample_size = row["sample_size"]
        return cls(
            cycle_id=row["cycle_id"],
            lea_id=row["lea_id"],
            cds_code=row["cds_code"],
            name=row["name"],
            kind=row["kind"],
            county=row["cds_code"][:2],
            selpa=None
            if selpa_id is None
            else Selpa(
                selpa_id=selpa_id,
                cycle_id=row["cycle_id"],
                code=row["selpa_code"],
                name=row["selpa_name"],
                contact_name=row["selpa_contact_name"],
                contact_email=row["selpa_contact_email"],
            ),
            active=row["active"],
            required=row["required"],
            exempt_reason=None if row["required"] else row["exempt_reason"],
            contact_name=row["contact_name"],
            contact_email=row["contact_email"],
            due_at=to_pacific(effective_due(row["cycle_due_at"], extension)),
            extended=extension is not None,
            swd_count=row["swd_count"],
            sample_size=sample_size,
            submission=None if submission is None else Submission.of(submission, sample_size or 0),
        )

    @strawberry.field(description="The cycle this view of the LEA belongs to.")
    async def cycle(self, info: Info) -> Cycle:
        row = await info.context.loaders.cycle.load(self.cycle_id)
        assert row is not None
        return Cycle.of(row)

    @strawberry.field(description="The minutes worksheet: derived counts; rows for PII roles.")
    def worksheet(self) -> Worksheet:
        return Worksheet(cycle_id=self.cycle_id, lea_id=self.lea_id)

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
            self.cycle_id,
            self.lea_id,
            search=arguments.search_text(search),
            first=size,
            after=arguments.decode_cursor("student", after),
        )
        return connection(
            [SampledStudent.of(row) for row in page.rows],
            [arguments.encode_cursor("student", key) for key in page.keys],
            page.has_next,
            page.count,
        )


async def leas_of(rows: list[dict[str, Any]]) -> list[Lea]:
    """LEAs from joined membership rows, their submissions read in one statement."""
    submissions = await submission_values((row["cycle_id"], row["lea_id"]) for row in rows)
    return [Lea.of(row, submissions.get((row["cycle_id"], row["lea_id"]))) for row in rows]


async def leas_by_membership(rows: list[LeaCycle]) -> list[Lea]:
    """LEAs for memberships a use case already authorized, in the order given."""
    read = {row["lea_id"]: row for row in await memberships_by_id(row.id for row in rows)}
    return await leas_of([read[row.lea_id] for row in rows])


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
        await leas_of(page.rows),
        [arguments.encode_cursor("lea", key) for key in page.keys],
        page.has_next,
        page.count,
    )
