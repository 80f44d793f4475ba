"""Root fields ``report`` (live aggregates, scoped) and ``publicReport`` (published only)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

import strawberry

from models.shared.enums import ReportGrouping, SubmissionStatus
from resolvers.reports.live_report import report
from resolvers.reports.public_rows import published_rows
from resolvers.shared import arguments
from schema.engine.projection import Projected
from schema.reports.types import REPORT_ROW, PublicReportRow, ReportRow
from schema.shared import descriptions as doc
from schema.shared.context import Info
from schema.shared.permissions import Authenticated


@strawberry.type
class ReportQueries:
    @strawberry.field(
        permission_classes=[Authenticated],
        description="A cycle's report by group over the LEAs the caller may see. Student "
        "counts come from APPROVED submissions unless `statuses` says otherwise.",
    )
    async def report(
        self,
        info: Info,
        cycle: Annotated[str, strawberry.argument(description=doc.CYCLE)],
        group_by: Annotated[
            ReportGrouping, strawberry.argument(description="How the rows group the LEAs.")
        ],
        statuses: Annotated[
            list[SubmissionStatus] | None,
            strawberry.argument(
                description="Statuses whose submissions' counts are summed (default [APPROVED]); "
                "not empty."
            ),
        ] = None,
    ) -> Sequence[ReportRow]:
        arguments.cycle_name(cycle)
        principal = info.context.require_principal()
        figures = await report(principal, cycle, group_by, statuses)
        return Projected(REPORT_ROW, figures)

    @strawberry.field(
        description="The published snapshot of a cycle, with small counts suppressed; open to "
        "anyone. An unpublished cycle has no rows."
    )
    async def public_report(
        self,
        info: Info,
        cycle: Annotated[str, strawberry.argument(description=doc.CYCLE)],
        group_by: Annotated[
            ReportGrouping, strawberry.argument(description="How the rows group the LEAs.")
        ],
    ) -> list[PublicReportRow]:
        arguments.cycle_name(cycle)
        published = await published_rows(cycle, group_by)
        if published is None:
            return []
        return [
            PublicReportRow(
                data=row, grouping=group_by, published=published.published_at, due=published.due_at
            )
            for row in published.rows
        ]
