"""``publishResults(cycle, dryRun)``: freeze the cycle's suppressed public snapshot, or answer
its disclosure audit without publishing (CDE_ADMIN)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from kernel.errors import ErrorCode, InvalidInput, user_error
from resolvers.reports.publish_results import PublishResult, publish_results
from resolvers.shared import arguments
from schema.reports.disclosure_audit import DisclosureAudit
from schema.shared import descriptions as doc
from schema.shared.context import Info
from schema.shared.permissions import CdeAdminOnly
from schema.shared.time import shown
from schema.shared.user_errors import UserError, user_errors


@strawberry.type(
    description="When the published snapshot was taken and its disclosure audit, or why "
    "publishing was refused."
)
class PublishResultsPayload:
    published_at: datetime | None = strawberry.field(
        description="When the snapshot now served by publicReport was taken; null on a dry run."
    )
    dry_run: bool = strawberry.field(description="True when nothing was published.")
    audit: DisclosureAudit | None = strawberry.field(
        description="The disclosure audit of the snapshot (stored with it when published)."
    )
    user_errors: list[UserError] = strawberry.field(description=doc.USER_ERRORS)


async def resolve_publish_results(
    info: Info,
    cycle: Annotated[str, strawberry.argument(description=doc.CYCLE)],
    dry_run: Annotated[
        bool,
        strawberry.argument(
            description="Compute the snapshot and answer its audit without publishing."
        ),
    ] = False,
) -> PublishResultsPayload:
    principal = info.context.require_principal()
    try:
        arguments.cycle_name(cycle)
    except InvalidInput as bad:
        result = PublishResult(errors=(user_error(ErrorCode.INVALID_INPUT, bad.message, "cycle"),))
    else:
        result = await publish_results(principal, cycle, info.context.clock(), dry_run)
    return PublishResultsPayload(
        published_at=shown(result.published_at),
        dry_run=dry_run,
        audit=DisclosureAudit.of(result.audit) if result.audit else None,
        user_errors=user_errors(result.errors),
    )


publish_results_field = strawberry.mutation(
    resolve_publish_results,
    name="publishResults",
    permission_classes=[CdeAdminOnly],
    description="Publish an OPEN or CLOSED cycle's results as a frozen, suppressed snapshot "
    "for publicReport, replacing any earlier one, or (dryRun) only answer its disclosure "
    "audit: CDE_ADMIN.",
)
