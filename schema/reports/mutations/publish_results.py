"""``publishResults(cycle)``: freeze the cycle's suppressed public snapshot (CDE_ADMIN)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from kernel.errors import ErrorCode, InvalidInput, user_error
from resolvers.reports.publish_results import PublishResult, publish_results
from resolvers.shared import arguments
from schema.shared import descriptions as doc
from schema.shared.context import Info
from schema.shared.permissions import CdeAdminOnly
from schema.shared.time import shown
from schema.shared.user_errors import UserError, user_errors


@strawberry.type(
    description="When the published snapshot was taken, or why publishing was refused."
)
class PublishResultsPayload:
    published_at: datetime | None = strawberry.field(
        description="When the snapshot now served by publicReport was taken."
    )
    user_errors: list[UserError] = strawberry.field(description=doc.USER_ERRORS)


async def resolve_publish_results(
    info: Info, cycle: Annotated[str, strawberry.argument(description=doc.CYCLE)]
) -> PublishResultsPayload:
    principal = info.context.require_principal()
    try:
        arguments.cycle_name(cycle)
    except InvalidInput as bad:
        result = PublishResult(errors=(user_error(ErrorCode.INVALID_INPUT, bad.message, "cycle"),))
    else:
        result = await publish_results(principal, cycle, info.context.clock())
    return PublishResultsPayload(
        published_at=shown(result.published_at), user_errors=user_errors(result.errors)
    )


publish_results_field = strawberry.mutation(
    resolve_publish_results,
    name="publishResults",
    permission_classes=[CdeAdminOnly],
    description="Publish an OPEN or CLOSED cycle's results as a frozen, suppressed snapshot "
    "for publicReport, replacing any earlier one: CDE_ADMIN.",
)
