"""Root field ``auditEvents`` (CDE staff)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from kernel.errors import InvalidInput
from models.shared.identifiers import is_ascii_digits
from resolvers.audit import event_queries as audit_queries
from resolvers.audit import finding_queries
from resolvers.shared import arguments
from schema.audit.findings import AuditFinding, AuditSummary
from schema.audit.types import AuditEvent
from schema.shared import descriptions as doc
from schema.shared.context import Info
from schema.shared.pagination import Connection, connection
from schema.shared.permissions import CdeOnly


def _after(after: str | None) -> str | None:
    key = arguments.decode_cursor("audit", after)
    if key is not None and not is_ascii_digits(key):
        raise InvalidInput("after", "after is not a cursor this list gave out.")
    return key


@strawberry.type
class AuditQueries:
    @strawberry.field(
        permission_classes=[CdeOnly],
        description="The LEAs drawn for a cycle's audit, in rank order, with status and "
        "outcome (CDE staff).",
    )
    async def audit_findings(
        self, info: Info, cycle: Annotated[str, strawberry.argument(description=doc.CYCLE)]
    ) -> list[AuditFinding]:
        arguments.cycle_name(cycle)
        rows = await finding_queries.audit_findings(info.context.require_principal(), cycle)
        return [AuditFinding(row=row) for row in rows]

    @strawberry.field(
        permission_classes=[CdeOnly],
        description="A cycle's audit in figures; null before the audit is drawn (CDE staff).",
    )
    async def audit_summary(
        self, info: Info, cycle: Annotated[str, strawberry.argument(description=doc.CYCLE)]
    ) -> AuditSummary | None:
        arguments.cycle_name(cycle)
        data = await finding_queries.audit_summary(info.context.require_principal(), cycle)
        return AuditSummary(data=data) if data else None

    @strawberry.field(
        permission_classes=[CdeOnly],
        description="The audit log, newest first; filter by cycle and exact action (CDE staff).",
    )
    async def audit_events(
        self,
        info: Info,
        cycle: Annotated[
            str | None, strawberry.argument(description="Only events of this cycle, e.g. 2024-25.")
        ] = None,
        action: Annotated[
            str | None,
            strawberry.argument(
                description="Only events of exactly this action, e.g. submission.submit (at most "
                "48 characters)."
            ),
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=doc.FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=doc.AFTER)] = None,
    ) -> Connection[AuditEvent]:
        if cycle is not None:
            arguments.cycle_name(cycle)
        if action is not None and len(action) > 48:
            raise InvalidInput("action", "action must be at most 48 characters.")
        size = arguments.page_size(first)
        page = await audit_queries.audit_page(cycle, action, size, _after(after))
        return connection(
            [AuditEvent(row=row) for row in page.rows],
            [arguments.encode_cursor("audit", key) for key in page.keys],
            page.has_next,
            page.count,
        )
