"""Root field ``submission``: one LEA's submission in a cycle."""

from __future__ import annotations

import strawberry

from schema.directory.lookups import find_lea
from schema.directory.types import submission_of
from schema.shared.context import Info
from schema.shared.permissions import Authenticated
from schema.submissions.types import Submission


@strawberry.type
class SubmissionQueries:
    @strawberry.field(permission_classes=[Authenticated])
    async def submission(self, info: Info, cycle: str, cds_code: str) -> Submission | None:
        lea = await find_lea(info, cycle, cds_code)
        return await submission_of(info, lea.row) if lea else None
