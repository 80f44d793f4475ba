"""``AuditEvent``: one consequential action as CDE staff see it."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from models import AuditEvent as AuditRow
from models.shared.deadlines import to_pacific


@strawberry.type
class AuditEvent:
    row: strawberry.Private[AuditRow]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.id))

    @strawberry.field
    def at(self) -> datetime:
        return to_pacific(self.row.at)

    @strawberry.field
    def actor_role(self) -> str:
        return self.row.actor_role

    @strawberry.field(description="SELPA code, CDS code or CDE role of the actor.")
    def actor_scope(self) -> str:
        return self.row.actor_scope

    @strawberry.field(description="The cycle's name; null for actions outside a cycle.")
    def cycle(self) -> str | None:
        cycle = self.row.cycle
        return cycle.name if cycle is not None else None

    @strawberry.field(description="e.g. submission.submit, submission.reject, login.failure.")
    def action(self) -> str:
        return self.row.action

    @strawberry.field(description="The CDS code, SELPA code or cycle acted on.")
    def target(self) -> str:
        return self.row.target

    @strawberry.field
    def client_address(self) -> str:
        return self.row.client_address

    @strawberry.field
    def detail(self) -> JSON:
        return self.row.detail  # type: ignore[return-value]
