"""Required LEAs of a cycle with no roster loaded: ROSTER_MISSING (SPEC §3.3).

Such an LEA is never exempt for it: it blocks opening, is not drawn, counts as missing in the
reports and is listed in the sampling report.
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Subquery

from models import LeaCycle, RosterStudent


async def roster_missing(cycle_id: int, using: BaseDBAsyncClient | None = None) -> list[str]:
    """The CDS codes of the cycle's ROSTER_MISSING LEAs, in CDS order."""
    with_roster = RosterStudent.filter(cycle_id=cycle_id).distinct().values("lea_id")
    query = LeaCycle.filter(
        cycle_id=cycle_id, active=True, required=True, sample_size__isnull=True
    ).exclude(lea_id__in=Subquery(with_roster))
    if using is not None:
        query = query.using_db(using)
    codes = await query.order_by("lea__cds_code").values_list("lea__cds_code", flat=True)
    return [str(code) for code in codes]
