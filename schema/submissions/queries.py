"""Root field ``submission``: one LEA's submission in a cycle."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.directory.lookups import find_lea
from schema.shared import descriptions as doc
from schema.shared.context import Info
from schema.shared.permissions import Authenticated
from schema.submissions.types import Submission


@strawberry.type
class SubmissionQueries:
    @strawberry.field(
        permission_classes=[Authenticated],
        description="An LEA's submission in a cycle; null before its sample is drawn, or when "
        "the LEA does not exist or is outside the caller's scope.",
    )
    async def submission(
        self,
        info: Info,
        cycle: Annotated[str, strawberry.argument(description=doc.CYCLE)],
        cds_code: Annotated[str, strawberry.argument(description=doc.CDS_CODE)],
    ) -> Submission | None:
        lea = await find_lea(info, cycle, cds_code)
        return lea.submission if lea else None
