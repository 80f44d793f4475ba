"""The minutes worksheet of an LEA: derived counts for every role that sees the LEA, rows (student
PII) only for roles that may see students."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from models import SampledStudent as SampledRow
from models.shared.enums import Category
from models.worksheet.rules import WorksheetCounts, rate_percent, student_category, window_minutes
from resolvers.shared import arguments
from resolvers.worksheet.queries import worksheet_rows
from schema.shared.context import Info
from schema.shared.descriptions import COST_NOTE
from schema.shared.permissions import SeesStudents
from schema.shared.time import shown


@strawberry.type(description="One sampled student's minutes in the service window.")
class WorksheetRow:
    row: strawberry.Private[SampledRow]

    @strawberry.field(description="The student's 10-digit SSID.")
    def ssid(self) -> str:
        return self.row.ssid

    @strawberry.field(description="Prescribed minutes in the service window; null until entered.")
    def prescribed_minutes(self) -> int | None:
        return self.row.prescribed_minutes

    @strawberry.field(description="Provided minutes in the service window; null until entered.")
    def provided_minutes(self) -> int | None:
        return self.row.provided_minutes

    @strawberry.field(description='provided / prescribed for display, e.g. "92.59" (half-up).')
    def rate_percent(self) -> str | None:
        return rate_percent(self.row.provided_minutes, self.row.prescribed_minutes)

    @strawberry.field(description="By the exact integer rule; null while minutes are missing.")
    def category(self) -> Category | None:
        return student_category(self.row.provided_minutes, self.row.prescribed_minutes)

    @strawberry.field(
        description="When the minutes were last recorded or cleared (Pacific time); null if never."
    )
    def updated_at(self) -> datetime | None:
        return shown(self.row.minutes_updated_at)


@strawberry.type(
    description="Minutes per sampled student and the A/B/C counts derived from them. The "
    "worksheet never replaces the saved counts: applyWorksheetCounts copies them into the draft."
)
class Worksheet:
    cycle_id: strawberry.Private[int]
    lea_id: strawberry.Private[int]

    async def _counts(self, info: Info) -> WorksheetCounts:
        key = (self.cycle_id, self.lea_id)
        return await info.context.loaders.worksheet.load(key)

    @strawberry.field(description="Minutes in the service window: the bound for both minutes.")
    async def window_minutes(self, info: Info) -> int:
        cycle = await info.context.loaders.cycle.load(self.cycle_id)
        assert cycle is not None
        return window_minutes(cycle.window_start, cycle.window_end)

    @strawberry.field(description="Sampled students.")
    async def sampled(self, info: Info) -> int:
        return (await self._counts(info)).sampled

    @strawberry.field(description="Sampled students without minutes yet.")
    async def missing(self, info: Info) -> int:
        return (await self._counts(info)).missing

    @strawberry.field(description="Students with minutes in category A.")
    async def count_a(self, info: Info) -> int:
        return (await self._counts(info)).count_a

    @strawberry.field(description="Students with minutes in category B.")
    async def count_b(self, info: Info) -> int:
        return (await self._counts(info)).count_b

    @strawberry.field(description="Students with minutes in category C.")
    async def count_c(self, info: Info) -> int:
        return (await self._counts(info)).count_c

    @strawberry.field(description="Every sampled student has minutes.")
    async def complete(self, info: Info) -> bool:
        return (await self._counts(info)).complete

    @strawberry.field(
        description="True when the worksheet is complete and its counts differ from the saved "
        "ones (nothing saved yet counts as different); false while minutes are missing."
    )
    async def differs_from_saved(self, info: Info) -> bool:
        counts = await self._counts(info)
        if not counts.complete:
            return False
        key = (self.cycle_id, self.lea_id)
        saved = await info.context.loaders.submission.load(key)
        current = (saved.count_a, saved.count_b, saved.count_c) if saved else (None, None, None)
        return bool(counts.differs_from(current))

    @strawberry.field(
        permission_classes=[SeesStudents],
        description="Sampled students in SSID order, a page at a time (`first`); `after` is "
        "the last SSID of the previous page.",
    )
    async def rows(
        self,
        info: Info,
        first: Annotated[
            int | None,
            strawberry.argument(
                description=f"Rows per page, 1 to {arguments.MAX_PAGE_SIZE}; "
                f"{arguments.ROWS_PAGE_SIZE} when omitted. {COST_NOTE}"
            ),
        ] = None,
        after: Annotated[
            str | None,
            strawberry.argument(description="The last SSID of the previous page (10 digits)."),
        ] = None,
    ) -> list[WorksheetRow]:
        principal = info.context.require_principal()
        size = arguments.page_size(first, arguments.ROWS_PAGE_SIZE)
        if after is not None:
            arguments.ssid(after, "after")
        found = await worksheet_rows(
            principal,
            self.cycle_id,
            self.lea_id,
            first=size,
            after=after,
        )
        return [WorksheetRow(row=row) for row in found]
