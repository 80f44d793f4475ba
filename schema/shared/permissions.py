"""Permission classes: the field-level half of authorization (SPEC §4, §10).

A missing or dead session raises ``UNAUTHENTICATED``; a role that may not use a field on a
record it can see raises ``FORBIDDEN``.
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from kernel.errors import Forbidden
from models.shared.enums import Role
from resolvers.submissions import target as submission_target
from schema.shared.context import Info


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


class _ActsOnLea(BasePermission):
    """A mutation on one LEA's submission (``input.cycle``, ``input.cdsCode``).

    Other roles get ``FORBIDDEN`` only for a record their scope shows; for one it hides, the
    resolver answers ``NOT_FOUND`` as for a missing record, so no tenant learns of another's.
    """

    roles: frozenset[Role] = frozenset()
    message = "Your role may not do this."

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        principal = info.context.require_principal()
        if principal.role in self.roles:
            return True
        data = kwargs.get("input")
        cycle, cds_code = getattr(data, "cycle", None), getattr(data, "cds_code", None)
        if (
            isinstance(cycle, str)
            and isinstance(cds_code, str)
            and await submission_target.can_see_lea(principal, cycle, cds_code)
        ):
            raise Forbidden(self.message)
        return True


class EntersCounts(_ActsOnLea):
    """Save and submit: the LEA for itself, its SELPA on its behalf."""

    roles = frozenset({Role.SELPA, Role.LEA})
    message = "Only the LEA or its SELPA may enter and submit counts."


class ReviewsSubmissions(_ActsOnLea):
    roles = frozenset({Role.SELPA})
    message = "Only the LEA's SELPA may approve or reject its submission."


class AdministersSubmissions(_ActsOnLea):
    roles = frozenset({Role.CDE_ADMIN})
    message = "Only a CDE administrator may do this."


class AdministersCycles(BasePermission):
    """Open and close a cycle (argument ``name``): CDE administrators; others as ``_ActsOnLea``."""

    message = "Only a CDE administrator may open or close a cycle."

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        principal = info.context.require_principal()
        if principal.role is Role.CDE_ADMIN:
            return True
        name = kwargs.get("name")
        if isinstance(name, str) and await submission_target.can_see_cycle(principal, name):
            raise Forbidden(self.message)
        return True
