"""Authorization below the schema: the one scope function and one query-scoping hook per type.

Every query of a tenant record starts from a hook here, so a caller can never reach (or
learn of) another tenant's record: a foreign record is simply absent from the queryset.
"""

from __future__ import annotations

from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet

from kernel.errors import Forbidden
from models import Cycle, LeaCycle, SampledStudent, Selpa, Submission
from models.access.permits import Permit
from models.shared.enums import Role
from resolvers.shared.principal import Principal


def authorize(principal: Principal, permit: Permit, membership: LeaCycle | None = None) -> None:
    """The one scope function every use case and CSV route calls before it acts: raise
    ``FORBIDDEN`` unless the caller's role holds ``permit`` and, for one LEA's record, the
    caller's scope covers that LEA in that cycle. Records are found through the hooks below
    first, so a caller is only ever refused for a record it can see."""
    if not permit.allows(principal.role):
        raise Forbidden(permit.refusal)
    if membership is not None and not covers(principal, membership):
        raise Forbidden(permit.refusal)


def covers(principal: Principal, membership: LeaCycle) -> bool:
    """May this caller act on this LEA's record in this cycle?"""
    if principal.is_cde:
        return True
    if principal.cycle_id != membership.cycle_id:
        return False
    if principal.role is Role.SELPA:
        return membership.selpa_id == principal.selpa_id
    return membership.lea_id == principal.lea_id


def caller_scope(principal: Principal | None) -> tuple[object, ...]:
    """What the hooks below filter on: two callers with equal scopes see the same records."""
    if principal is None:
        return ("PUBLIC",)
    return (principal.role.value, principal.cycle_id, principal.selpa_id, principal.lea_id)


def cycles(principal: Principal | None) -> QuerySet[Cycle]:
    """Anonymous callers and CDE see every cycle; a SELPA or LEA code sees its own cycle."""
    query = Cycle.all()
    if not sees_every_cycle(principal):
        assert principal is not None
        return query.filter(id=principal.cycle_id)
    return query


def sees_every_cycle(principal: Principal | None) -> bool:
    """The rule of ``cycles``: anonymous callers and CDE see them all."""
    return principal is None or principal.is_cde


def memberships(principal: Principal, cycle_id: int) -> QuerySet[LeaCycle]:
    query = LeaCycle.filter(cycle_id=cycle_id)
    if principal.is_cde:
        return query
    if principal.cycle_id != cycle_id:
        return query.filter(id=-1)
    if principal.role is Role.SELPA:
        return query.filter(selpa_id=principal.selpa_id)
    return query.filter(lea_id=principal.lea_id)


def selpas(principal: Principal, cycle_id: int) -> QuerySet[Selpa]:
    """SELPAs with a member LEA in the cycle that the caller may see."""
    member_selpas = memberships(principal, cycle_id).filter(selpa_id__isnull=False)
    return Selpa.filter(id__in=Subquery(member_selpas.values("selpa_id")))


def sampled_students(principal: Principal, cycle_id: int) -> QuerySet[SampledStudent]:
    leas = memberships(principal, cycle_id).values("lea_id")
    return SampledStudent.filter(cycle_id=cycle_id, lea_id__in=Subquery(leas))


def submissions(principal: Principal, cycle_id: int) -> QuerySet[Submission]:
    leas = memberships(principal, cycle_id).values("lea_id")
    return Submission.filter(cycle_id=cycle_id, lea_id__in=Subquery(leas))
