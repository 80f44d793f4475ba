""" "Download LEA Records": the LEAs a caller may see in a cycle with their submission, read in
batches (a constant number of queries per batch) through the scope hooks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

from models import Cycle
from models.directory.record_columns import LEA_COLUMNS
from models.shared.deadlines import effective_due, to_pacific
from models.shared.enums import SubmissionStatus
from resolvers.shared import scope
from resolvers.shared.principal import Principal
from resolvers.worksheet.counts import derived_counts

COLUMNS = LEA_COLUMNS
BATCH = 500


def _when(value: datetime | None) -> str:
    return to_pacific(value).isoformat(timespec="seconds") if value else ""


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


async def lea_rows(
    principal: Principal, cycle: Cycle, selpa_id: int | None, batch: int = BATCH
) -> AsyncIterator[list[list[str]]]:
    """Batches of CSV rows in CDS-code order."""
    after = ""
    while True:
        query = scope.memberships(principal, cycle.id).filter(lea__cds_code__gt=after)
        if selpa_id is not None:
            query = query.filter(selpa_id=selpa_id)
        members = await query.select_related("lea", "selpa").order_by("lea__cds_code").limit(batch)
        if not members:
            return
        lea_ids = [m.lea.id for m in members]
        submissions = {
            s.lea_id: s
            for s in await scope.submissions(principal, cycle.id).filter(lea_id__in=lea_ids)
        }
        worksheets = await derived_counts(cycle.id, lea_ids)
        out: list[list[str]] = []
        for m in members:
            sub = submissions.get(m.lea.id)
            counts = (sub.count_a, sub.count_b, sub.count_c) if sub else (None, None, None)
            a, b, c = counts
            total = a + b + c if a is not None and b is not None and c is not None else None
            differs = worksheets[m.lea.id].differs_from(counts)
            out.append(
                [
                    m.lea.cds_code,
                    m.lea.name,
                    m.selpa.code if m.selpa else "",
                    m.selpa.name if m.selpa else "",
                    "true" if m.required else "false",
                    (sub.status if sub else SubmissionStatus.NOT_STARTED).value,
                    *(_number(c) for c in counts),
                    _number(total),
                    _number(m.sample_size),
                    _when(sub.submitted_at if sub else None),
                    (sub.submitter_email or "") if sub else "",
                    _when(sub.reviewed_at if sub else None),
                    _when(effective_due(cycle.due_at, m.due_at_extension)),
                    "" if differs is None else str(differs).lower(),
                ]
            )
        yield out
        if len(members) < batch:
            return
        after = members[-1].lea.cds_code
