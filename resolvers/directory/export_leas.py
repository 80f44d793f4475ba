""" "Download LEA Records": the LEAs a caller may see in a cycle with their submission, read in
batches (three statements per batch, each read as plain rows) through the scope hooks."""

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


_MEMBER = (
    "lea_id",
    "lea__cds_code",
    "lea__name",
    "selpa__code",
    "selpa__name",
    "required",
    "sample_size",
    "due_at_extension",
)
_SUBMISSION = (
    "lea_id",
    "status",
    "count_a",
    "count_b",
    "count_c",
    "submitted_at",
    "submitter_email",
    "reviewed_at",
)
_NO_SUBMISSION = (None, SubmissionStatus.NOT_STARTED, None, None, None, None, None, None)


async def lea_rows(
    principal: Principal, cycle: Cycle, selpa_id: int | None, batch: int = BATCH
) -> AsyncIterator[list[list[str]]]:
    """Batches of CSV rows in CDS-code order, read as rows (no model object per LEA)."""
    after = ""
    while True:
        query = scope.memberships(principal, cycle.id).filter(lea__cds_code__gt=after)
        if selpa_id is not None:
            query = query.filter(selpa_id=selpa_id)
        members = await query.order_by("lea__cds_code").limit(batch).values_list(*_MEMBER)
        if not members:
            return
        lea_ids = [int(m[0]) for m in members]
        submissions = {
            int(s[0]): s
            for s in await scope.submissions(principal, cycle.id)
            .filter(lea_id__in=lea_ids)
            .values_list(*_SUBMISSION)
        }
        worksheets = await derived_counts(cycle.id, lea_ids)
        out: list[list[str]] = []
        for lea_id, cds, name, selpa_code, selpa_name, required, sample_size, extension in members:
            _, status, a, b, c, submitted_at, email, reviewed_at = submissions.get(
                int(lea_id), _NO_SUBMISSION
            )
            counts = (a, b, c)
            total = a + b + c if a is not None and b is not None and c is not None else None
            differs = worksheets[int(lea_id)].differs_from(counts)
            out.append(
                [
                    cds,
                    name,
                    selpa_code or "",
                    selpa_name or "",
                    "true" if required else "false",
                    SubmissionStatus(status).value,
                    *(_number(n) for n in counts),
                    _number(total),
                    _number(sample_size),
                    _when(submitted_at),
                    email or "",
                    _when(reviewed_at),
                    _when(effective_due(cycle.due_at, extension)),
                    "" if differs is None else str(differs).lower(),
                ]
            )
        yield out
        if len(members) < batch:
            return
        after = str(members[-1][1])
