"""Permission classes: the field-level half of authorization (SPEC §4, §10).

A missing or dead session raises ``UNAUTHENTICATED``; a role that may not use a field on a
record it can see raises ``FORBIDDEN``.
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from models.enums import Role
from resolvers.errors import Forbidden
from schema.context import Info


class Authenticated(BasePermission):
    message = "Sign in with an access code to see this."

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        info.context.require_principal()
        return True


class _Roles(BasePermission):
    roles: frozenset[Role] = frozenset()
    message = "Your role may not do this."

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        principal = info.context.require_principal()
        if principal.role not in self.roles:
            raise Forbidden(self.message)
        return True


class CdeOnly(_Roles):
    roles = frozenset({Role.CDE_ADMIN, Role.CDE_ANALYST})
    message = "Only CDE staff may see this."


class CdeAdminOnly(_Roles):
    roles = frozenset({Role.CDE_ADMIN})
    message = "Only a CDE administrator may do this."


class SeesStudents(_Roles):
    """Student PII: CDE administrators, the LEA's SELPA and the LEA itself."""

    roles = frozenset({Role.CDE_ADMIN, Role.SELPA, Role.LEA})
    message = "Your role may not see student records."
