"""``Viewer``: who the bearer token belongs to."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models.shared.enums import Role
from resolvers.directory import queries as directory_queries
from resolvers.shared.principal import Principal
from schema.cycles.types import Cycle
from schema.directory.types import Lea, Selpa, leas_of
from schema.shared.context import Info
from schema.shared.time import shown


@strawberry.type(description="Who the bearer token belongs to: its access code's role and scope.")
class Viewer:
    principal: strawberry.Private[Principal]

    @strawberry.field(description="The role of the caller's access code.")
    def role(self) -> Role:
        return self.principal.role

    @strawberry.field(description="When the session ends at the latest.")
    def expires_at(self) -> datetime | None:
        return shown(self.principal.expires_at)

    @strawberry.field(description="The cycle of a SELPA or LEA code; null for CDE.")
    async def cycle(self, info: Info) -> Cycle | None:
        if self.principal.cycle_id is None:
            return None
        row = await info.context.loaders.cycle.load(self.principal.cycle_id)
        return Cycle.of(row) if row else None

    @strawberry.field(description="The caller's SELPA for a SELPA code; null for other roles.")
    async def selpa(self, info: Info) -> Selpa | None:
        p = self.principal
        if p.role is not Role.SELPA or p.selpa_id is None or p.cycle_id is None:
            return None
        row = await directory_queries.find_selpa(p, p.cycle_id, p.scope_code)
        return Selpa.of(row, p.cycle_id) if row else None

    @strawberry.field(description="The caller's LEA for an LEA code; null for other roles.")
    async def lea(self, info: Info) -> Lea | None:
        p = self.principal
        if p.role is not Role.LEA or p.cycle_id is None:
            return None
        row = await directory_queries.find_lea_values(p, p.cycle_id, p.scope_code)
        return (await leas_of([row]))[0] if row else None
