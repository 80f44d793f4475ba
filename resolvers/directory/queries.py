"""Read use cases over the directory, the sample and submissions, always through the scope hooks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.functions import Count
from tortoise.queryset import ValuesQuery

from models import Cycle, LeaCycle, Selpa, Submission
from models.shared.enums import SubmissionStatus
from models.shared.identifiers import is_ascii_digits
from resolvers.cycles import cycle_reads
from resolvers.directory.lea_reads import MEMBERSHIP_COLUMNS, membership_values
from resolvers.shared import scope
from resolvers.shared.kept_values import kept_values, stand_in, stand_in_number
from resolvers.shared.principal import Principal

STUDENT_COLUMNS: dict[str, str] = {
    "ssid": "ssid",
    "first_name": "student__first_name",
    "last_name": "student__last_name",
    "birth_date": "student__birth_date",
    "grade": "student__grade",
    "disability_category": "student__disability_category",
}
"""What a ``SampledStudent`` shows, read in the same statement as the page."""


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    keys: list[str]
    has_next: bool
    count: Callable[[], Awaitable[int]]


async def find_cycle(principal: Principal | None, name: str) -> Cycle | None:
    return await cycle_reads.cycle_named(principal, name)


async def find_membership(principal: Principal, cycle_id: int, cds_code: str) -> LeaCycle | None:
    return (
        await scope.memberships(principal, cycle_id)
        .filter(lea__cds_code=cds_code)
        .select_related("lea")
        .first()
    )


async def find_lea_values(
    principal: Principal, cycle_id: int, cds_code: str
) -> dict[str, Any] | None:
    """One LEA's membership, joined as ``membership_values`` reads it; None outside scope.
    Its statement is written once per scope and cycle (``kept_values``)."""

    def build() -> ValuesQuery[Any]:
        query = scope.memberships(principal, cycle_id)
        return query.filter(lea__cds_code=stand_in("cds")).limit(1).values(**MEMBERSHIP_COLUMNS)

    key = ("find_lea_values", *scope.caller_scope(principal), cycle_id)
    rows = await kept_values(key, build, {"cds": cds_code})
    return rows[0] if rows else None


async def find_selpa(principal: Principal, cycle_id: int, code: str) -> Selpa | None:
    return await scope.selpas(principal, cycle_id).filter(code=code).first()


async def lea_page(
    principal: Principal,
    cycle_id: int,
    *,
    selpa_id: int | None,
    status: SubmissionStatus | None,
    first: int,
    after: str | None,
) -> Page:
    """LEAs in CDS-code order, ``first`` after the CDS code ``after``."""
    query = scope.memberships(principal, cycle_id)
    if selpa_id is not None:
        query = query.filter(selpa_id=selpa_id)
    if status is not None:
        with_status = Submission.filter(cycle_id=cycle_id, status=status).values("lea_id")
        query = query.filter(lea_id__in=Subquery(with_status), required=True)
    counted = query
    if after is not None:
        query = query.filter(lea__cds_code__gt=after)
    rows = await membership_values(query.order_by("lea__cds_code").limit(first + 1))
    return Page(
        rows=rows[:first],
        keys=[row["cds_code"] for row in rows[:first]],
        has_next=len(rows) > first,
        count=counted.count,
    )


async def student_page(
    principal: Principal,
    cycle_id: int,
    lea_id: int,
    *,
    search: str | None,
    first: int,
    after: str | None,
) -> Page:
    """The LEA's sampled students in SSID order; ``search`` matches an SSID prefix or a name.
    Without a search, the page's statement is written once per scope and cycle."""
    query = scope.sampled_students(principal, cycle_id).filter(lea_id=lea_id)
    if search:
        if is_ascii_digits(search):
            query = query.filter(ssid__startswith=search)
        else:
            words = search.split()
            for word in words:
                query = query.filter(
                    Q(student__first_name__icontains=word) | Q(student__last_name__icontains=word)
                )
    counted = query
    if not search:
        rows = await _unsearched_students(principal, cycle_id, lea_id, first + 1, after)
    else:
        if after is not None:
            query = query.filter(ssid__gt=after)
        rows = await query.order_by("ssid").limit(first + 1).values(**STUDENT_COLUMNS)
    return Page(
        rows=rows[:first],
        keys=[row["ssid"] for row in rows[:first]],
        has_next=len(rows) > first,
        count=counted.count,
    )


async def _unsearched_students(
    principal: Principal, cycle_id: int, lea_id: int, limit: int, after: str | None
) -> list[dict[str, Any]]:
    def build() -> ValuesQuery[Any]:
        query = scope.sampled_students(principal, cycle_id)
        query = query.filter(lea_id=stand_in_number("lea"))
        if after is not None:
            query = query.filter(ssid__gt=stand_in("after"))
        ordered = query.order_by("ssid").limit(stand_in_number("limit"))
        return ordered.values(**STUDENT_COLUMNS)

    key = ("student_page", *scope.caller_scope(principal), cycle_id, after is not None)
    values: dict[str, Any] = {"lea": lea_id, "limit": limit}
    if after is not None:
        values["after"] = after
    return await kept_values(key, build, values)


async def status_counts(principal: Principal, cycle_id: int, selpa_id: int) -> dict[str, int]:
    """Required LEAs of a SELPA per submission status, with exempt LEAs counted apart."""
    members = scope.memberships(principal, cycle_id).filter(selpa_id=selpa_id, active=True)
    required = members.filter(required=True).values("lea_id")
    grouped = (
        await Submission.filter(cycle_id=cycle_id, lea_id__in=Subquery(required))
        .annotate(n=Count("id"))
        .group_by("status")
        .values("status", "n")
    )
    counts = {status.value: 0 for status in SubmissionStatus}
    for row in grouped:
        status = row["status"]
        counts[status.value if isinstance(status, SubmissionStatus) else str(status)] = row["n"]
    counts["EXEMPT"] = await members.filter(required=False).count()
    return counts
