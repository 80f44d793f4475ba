"""Report rows: live aggregates for CDE, SELPA and LEA callers, and the published snapshot."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry

from models.reports.suppression import Reason
from models.shared import enums
from models.shared.deadlines import to_pacific
from models.shared.enums import ReportGrouping
from schema.directory.types import LeaStatusCounts
from schema.engine.projection import Projection

strawberry.enum(
    enums.ReportGrouping,
    name="ReportGrouping",
    description="How report rows group the LEAs: STATE (California), COUNTY (first two CDS "
    "digits), SELPA or LEA.",
)
strawberry.enum(
    Reason,
    name="SuppressionReason",
    description=(
        "SUPPRESSED: the value is withheld, because it is small (10 or fewer, 0 included, or of "
        "a group of 10 or fewer students) or so that no small value can be worked out or "
        "narrowed from what is published. One marker for every case, so it reveals no bound."
    ),
)


@strawberry.enum(description="Whether an LEA's counts are in a published snapshot.")
class PublicLeaStatus(Enum):
    REPORTED = strawberry.enum_value("REPORTED", description="Its approved counts are included.")
    EXEMPT = strawberry.enum_value(
        "EXEMPT", description="Not required this cycle (no students with disabilities): no counts."
    )
    NOT_REPORTED = strawberry.enum_value(
        "NOT_REPORTED", description="Required, but without an approved submission: no counts."
    )


@strawberry.type(description="A share with its actual numerator and denominator (SPP/APR).")
class Rate:
    numerator: int = strawberry.field(description="What is counted.")
    denominator: int = strawberry.field(description="What it is counted out of.")
    percent: str | None = strawberry.field(
        description="numerator/denominator in percent, two decimals, half-up; null when the "
        "denominator is 0."
    )


@strawberry.type(description="Students by implementation category, with each share of the total.")
class StudentCounts:
    count_a: int = strawberry.field(description="Students in category A (95 % or more).")
    count_b: int = strawberry.field(description="Students in category B (90 % to under 95 %).")
    count_c: int = strawberry.field(description="Students in category C (under 90 %).")
    total: int = strawberry.field(description="countA + countB + countC.")
    share_a: Rate = strawberry.field(description="countA out of the total.")
    share_b: Rate = strawberry.field(description="countB out of the total.")
    share_c: Rate = strawberry.field(description="countC out of the total.")


@strawberry.type(description="One group of a cycle's report, over the LEAs the caller may see.")
class ReportRow:
    group_by: ReportGrouping = strawberry.field(description="The grouping of this row.")
    key: str = strawberry.field(description="CA, a county code, a SELPA code or a CDS code.")
    label: str = strawberry.field(description="California, the county, SELPA or LEA name.")
    county: str | None = strawberry.field(description="LEA rows: the county code.")
    selpa_code: str | None = strawberry.field(description="LEA rows: the SELPA code.")
    lea_counts: LeaStatusCounts = strawberry.field(
        description="Required LEAs by current status; exempt LEAs apart."
    )
    students: StudentCounts = strawberry.field(
        description="A/B/C of the submissions in the selected statuses."
    )
    response_rate: Rate = strawberry.field(
        description="LEAs submitted (SUBMITTED or APPROVED) / required LEAs."
    )
    timeliness: Rate = strawberry.field(
        description="LEAs whose first submission came by their effective due time / LEAs submitted."
    )
    extensions_granted: int = strawberry.field(
        description="Required LEAs granted a due-time extension."
    )
    self_reviewed: int = strawberry.field(
        description="Approved LEAs whose SELPA approved counts it had entered and submitted "
        "itself (self-reviewed: allowed for one-person SELPAs, shown for the auditor)."
    )


RATE = Projection(Rate)
"""A rate read from the figures' ``Rate`` (``models.reports.figures``)."""
REPORT_ROW = Projection(
    ReportRow,
    reads={"group_by": "source.grouping", "lea_counts": "source", "students": "source"},
    nested={
        "lea_counts": Projection(LeaStatusCounts),
        "students": Projection(
            StudentCounts,
            reads={
                "share_a": "source.share(source.count_a)",
                "share_b": "source.share(source.count_b)",
                "share_c": "source.share(source.count_c)",
            },
            nested={"share_a": RATE, "share_b": RATE, "share_c": RATE},
        ),
        "response_rate": RATE,
        "timeliness": RATE,
    },
)
"""A report row read from one group's figures (``GroupFigures``): a large report is written
straight from its figures, with no object per row (``schema.engine.projection``)."""


@strawberry.type(
    description="A published count: a value, or suppressed (never 0). On an LEA row that is not "
    "REPORTED every field is null or false: the LEA has no counts."
)
class SuppressibleCount:
    value: int | None = strawberry.field(description="The count; null when it is suppressed.")
    percent: str | None = strawberry.field(
        description="Share of the group's total (two decimals, half-up); null for the total "
        "itself and whenever the count or the total is suppressed."
    )
    suppressed: bool = strawberry.field(description="True when the count is withheld.")
    reason: Reason | None = strawberry.field(
        description="Why the count is withheld; null when it is published."
    )
    percent_suppressed_reason: Reason | None = strawberry.field(
        description="Why the percentage is withheld: the count's or the total's reason."
    )

    @classmethod
    def of(cls, cell: dict[str, Any]) -> SuppressibleCount:
        percent_reason = cell.get("percentReason")
        return cls(
            value=cell["value"],
            percent=cell["percent"],
            suppressed=cell["suppressed"],
            reason=Reason(cell["reason"]) if cell["reason"] else None,
            percent_suppressed_reason=Reason(percent_reason) if percent_reason else None,
        )


@strawberry.type(description="One group of a published snapshot: counts and percentages only.")
class PublicReportRow:
    data: strawberry.Private[dict[str, Any]]
    grouping: strawberry.Private[ReportGrouping]
    published: strawberry.Private[datetime]
    due: strawberry.Private[datetime | None] = None

    @strawberry.field(description="The grouping of this row.")
    def group_by(self) -> ReportGrouping:
        return self.grouping

    @strawberry.field(description="CA, a county code, a SELPA code or a CDS code.")
    def key(self) -> str:
        return str(self.data["key"])

    @strawberry.field(description="California, the county, SELPA or LEA name.")
    def label(self) -> str:
        return str(self.data["label"])

    @strawberry.field(description="LEA rows: the county code.")
    def county(self) -> str | None:
        return self.data.get("county")

    @strawberry.field(description="LEA rows: the SELPA code.")
    def selpa_code(self) -> str | None:
        return self.data.get("selpaCode")

    @strawberry.field(
        description="LEA rows: REPORTED, EXEMPT or NOT_REPORTED (exempt is never missing, "
        "and neither is shown as zeros); null on other rows."
    )
    def status(self) -> PublicLeaStatus | None:
        status = self.data.get("status")
        return PublicLeaStatus(status) if status else None

    @strawberry.field(
        description="Reported LEA rows: when the LEA's counts were approved (the date the data "
        "were obtained, Pacific time); else null."
    )
    def approved_at(self) -> datetime | None:
        approved = self.data.get("approvedAt")
        return to_pacific(datetime.fromisoformat(approved)) if approved else None

    @strawberry.field(
        description="Exempt LEAs (not required, no students) in the group: 1 or 0 on an LEA row."
    )
    def exempt_leas(self) -> int:
        return int(self.data.get("exemptLeas", 0))

    @strawberry.field(description="The cycle's due time for submissions (Pacific time).")
    def due_at(self) -> datetime | None:
        return to_pacific(self.due) if self.due else None

    @strawberry.field(description="True when the whole group is withheld (total of 10 or fewer).")
    def suppressed(self) -> bool:
        return bool(self.data["suppressed"])

    @strawberry.field(description="SUPPRESSED when the whole group is withheld; else null.")
    def reason(self) -> Reason | None:
        return Reason(self.data["reason"]) if self.data["reason"] else None

    @strawberry.field(description="Students in category A (95 % or more).")
    def count_a(self) -> SuppressibleCount:
        return SuppressibleCount.of(self.data["cells"]["A"])

    @strawberry.field(description="Students in category B (90 % to under 95 %).")
    def count_b(self) -> SuppressibleCount:
        return SuppressibleCount.of(self.data["cells"]["B"])

    @strawberry.field(description="Students in category C (under 90 %).")
    def count_c(self) -> SuppressibleCount:
        return SuppressibleCount.of(self.data["cells"]["C"])

    @strawberry.field(description="The group's student total.")
    def total(self) -> SuppressibleCount:
        return SuppressibleCount.of(self.data["cells"]["TOTAL"])

    @strawberry.field(description="When the snapshot was published (Pacific time).")
    def published_at(self) -> datetime:
        return to_pacific(self.published)
