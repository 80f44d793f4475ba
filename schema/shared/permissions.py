"""Permission classes: the field-level, role-only half of authorization (SPEC §4, §10).

A missing or dead session raises ``UNAUTHENTICATED``; a role that may not use a field raises
``FORBIDDEN``. No class here reads the database: a mutation on one LEA's or one cycle's record
is only ``Authenticated`` here, and its use case calls ``resolvers.shared.scope.authorize``
once it has found the record through the scope hooks (so a role is only ever refused for a
record it can see; for any other the answer is ``NOT_FOUND``).
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from kernel.errors import Forbidden
from models.access.permits import CDE_ADMINISTRATION, CDE_STAFF, SEE_STUDENTS, Permit
from schema.shared.context import Info


class Authenticated(BasePermission):
    message = "Sign in with an access code to see this."

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        info.context.require_principal()
        return True


class _Holds(BasePermission):
    permit: Permit

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        principal = info.context.require_principal()
        if not self.permit.allows(principal.role):
            raise Forbidden(self.permit.refusal)
        return True


class CdeOnly(_Holds):
    permit = CDE_STAFF


class CdeAdminOnly(_Holds):
    permit = CDE_ADMINISTRATION


class SeesStudents(_Holds):
    """Student PII: CDE administrators, the LEA's SELPA and the LEA itself."""

    permit = SEE_STUDENTS
