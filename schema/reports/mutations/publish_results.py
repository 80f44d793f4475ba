"""``publishResults(cycle)``: freeze the cycle's suppressed public snapshot (CDE_ADMIN)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from kernel.errors import ErrorCode, InvalidInput, user_error
from resolvers.reports.publish_results import PublishResult, publish_results
from resolvers.shared import arguments
from schema.shared.context import Info
from schema.shared.permissions import CdeAdminOnly
from schema.shared.time import shown
from schema.shared.user_errors import UserError, user_errors


@strawberry.type
class PublishResultsPayload:
    published_at: datetime | None = strawberry.field(
        description="When the snapshot now served by publicReport was taken."
    )
    user_errors: list[UserError]


async def resolve_publish_results(info: Info, cycle: str) -> PublishResultsPayload:
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
    resolve_publish_results, name="publishResults", permission_classes=[CdeAdminOnly]
)
