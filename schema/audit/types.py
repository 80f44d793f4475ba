"""``AuditEvent``: one consequential action as CDE staff see it."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from models import AuditEvent as AuditRow
from models.shared.deadlines import to_pacific


@strawberry.type(
    description="One consequential action in the audit log; it never holds a code, token or "
    "student identifier."
)
class AuditEvent:
    row: strawberry.Private[AuditRow]

    @strawberry.field(description="The event's id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.id))

    @strawberry.field(description="When the action happened (Pacific time).")
    def at(self) -> datetime:
        return to_pacific(self.row.at)

    @strawberry.field(
        description="The actor's role, e.g. SELPA; empty for an anonymous caller (a failed login)."
    )
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

    @strawberry.field(
        description="What was acted on, e.g. a CDS code, a cycle name or an access code id; "
        "empty when nothing in particular."
    )
    def target(self) -> str:
        return self.row.target

    @strawberry.field(
        description="The client address of the request, where recorded (empty otherwise)."
    )
    def client_address(self) -> str:
        return self.row.client_address

    @strawberry.field(
        description="Details of the action as a JSON object, e.g. the statuses before and after."
    )
    def detail(self) -> JSON:
        return self.row.detail  # type: ignore[return-value]
