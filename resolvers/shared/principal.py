"""Who is calling: the role and scope of the access code behind the bearer token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from models.shared.enums import Role

CDE_ROLES = frozenset({Role.CDE_ADMIN, Role.CDE_ANALYST})


@dataclass(frozen=True)
class Principal:
    role: Role
    access_code_id: int
    session_id: int | None = None
    cycle_id: int | None = None
    selpa_id: int | None = None
    lea_id: int | None = None
    scope_code: str = ""
    expires_at: datetime | None = None

    @property
    def is_cde(self) -> bool:
        return self.role in CDE_ROLES

    @property
    def audit_scope(self) -> str:
        return self.scope_code or self.role.value
