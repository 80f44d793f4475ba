"""LEA rows as plain values: a page of memberships joined to their LEA, SELPA and cycle in
one statement, whatever the number of rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tortoise.queryset import QuerySet

from models import LeaCycle

MEMBERSHIP_COLUMNS: dict[str, str] = {
    "cycle_id": "cycle_id",
    "lea_id": "lea_id",
    "selpa_id": "selpa_id",
    "active": "active",
    "required": "required",
    "exempt_reason": "exempt_reason",
    "contact_name": "contact_name",
    "contact_email": "contact_email",
    "due_at_extension": "due_at_extension",
    "swd_count": "swd_count",
    "sample_size": "sample_size",
    "cds_code": "lea__cds_code",
    "name": "lea__name",
    "kind": "lea__kind",
    "cycle_due_at": "cycle__due_at",
    "selpa_code": "selpa__code",
    "selpa_name": "selpa__name",
    "selpa_contact_name": "selpa__contact_name",
    "selpa_contact_email": "selpa__contact_email",
}
"""What an ``Lea`` shows, by the name it is read as and the column it is read from."""


async def membership_values(query: QuerySet[LeaCycle]) -> list[dict[str, Any]]:
    """The memberships ``query`` selects, each joined to its LEA, SELPA and cycle."""
    return await query.values(**MEMBERSHIP_COLUMNS)


async def memberships_by_id(ids: Iterable[int]) -> list[dict[str, Any]]:
    """Memberships already authorized by the caller's use case, in CDS-code order."""
    query = LeaCycle.filter(id__in=list(ids)).order_by("lea__cds_code")
    return await membership_values(query)
