"""``AccessCodeInfo``: an access code as CDE administrators see it — never its value."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models import AccessCode
from models.shared.deadlines import to_pacific
from models.shared.enums import Role


@strawberry.type(description="An issued access code, named by its id (its value is never shown).")
class AccessCodeInfo:
    row: strawberry.Private[AccessCode]

    @strawberry.field(description="The code's id: pass it to revokeAccessCode.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.id))

    @strawberry.field(description="The role the code signs in as.")
    def role(self) -> Role:
        return self.row.role

    @strawberry.field(description="The cycle of a SELPA or LEA code; null for CDE codes.")
    def cycle(self) -> str | None:
        return self.row.cycle.name if self.row.cycle else None

    @strawberry.field(description="SELPA code or CDS code; null for CDE codes.")
    def scope(self) -> str | None:
        if self.row.selpa is not None:
            return self.row.selpa.code
        if self.row.lea is not None:
            return self.row.lea.cds_code
        return None

    @strawberry.field(description="The free-text label given at issue; empty when none.")
    def label(self) -> str:
        return self.row.label

    @strawberry.field(description="When the code was issued (Pacific time).")
    def created_at(self) -> datetime:
        return to_pacific(self.row.created_at)

    @strawberry.field(description="When the code was revoked (Pacific time); null while it works.")
    def revoked_at(self) -> datetime | None:
        return to_pacific(self.row.revoked_at) if self.row.revoked_at else None
