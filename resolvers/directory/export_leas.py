""" "Download LEA Records": the LEAs a caller may see in a cycle with their submission, read
through the scope hooks in three statements for the whole export (memberships, submissions,
worksheet counts; the last two filter on the scope's memberships as a subquery), each read as
plain rows, then formatted column by column. On PostgreSQL the submissions' instants come back
already written in Pacific time, as ``_when`` writes them, by ``to_char``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Any

from tortoise.expressions import RawSQL
from tortoise.functions import Count
from tortoise.queryset import ValuesListQuery, ValuesQuery

from models import Cycle, LeaCycle, Submission
from models.directory.record_columns import LEA_COLUMNS
from models.shared.deadlines import PACIFIC
from models.shared.enums import SubmissionStatus
from resolvers.shared import scope
from resolvers.shared.principal import Principal
from resolvers.worksheet.counts import COUNT_EXPRESSIONS

COLUMNS = LEA_COLUMNS

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
_NO_SUBMISSION: tuple[Any, ...] = (
    None,
    SubmissionStatus.NOT_STARTED.value,
    None,
    None,
    None,
    None,
    None,
    None,
)
_STATUS = {status.value: status.value for status in SubmissionStatus} | {
    status: status.value for status in SubmissionStatus
}


async def _rows(query: ValuesListQuery[Any] | ValuesQuery[Any]) -> list[Any]:
    """The query's rows as the driver returns them (records, read by position or by the
    names the query gives its columns), without tortoise's per-cell conversion:
    only instants need one (a driver may return them as text), done by the caller."""
    query.sql()
    _, rows = await query._db.execute_query(*query.query.get_parameterized_sql())
    return list(rows)


def _instant(field: str, model: type[LeaCycle | Submission]) -> Callable[[Any], datetime | None]:
    """How a column's instant is read: an aware ``datetime`` (PostgreSQL's driver gives one)
    is used as it is, since it is only compared and formatted in Pacific time; anything else
    (SQLite's text) goes through the field's own conversion."""
    convert = model._meta.fields_map[field].to_python_value

    def read(value: Any) -> datetime | None:
        if type(value) is datetime and value.tzinfo is not None:
            return value
        return convert(value)  # type: ignore[no-any-return]

    return read


_MEMBER_DUE = _instant("due_at_extension", LeaCycle)
_SUBMITTED = _instant("submitted_at", Submission)
_REVIEWED = _instant("reviewed_at", Submission)


def _when(value: datetime | None) -> str:
    return value.astimezone(PACIFIC).isoformat(timespec="seconds") if value else ""


def _pacific_text(column: str) -> RawSQL:
    """PostgreSQL writing ``column``'s instant as ``_when`` does: Pacific wall time to the
    second (truncated, as ``isoformat`` truncates) and the zone's offset then; NULL stays NULL."""
    local = f"({column} AT TIME ZONE '{PACIFIC.key}')"
    offset = f"{local} - ({column} AT TIME ZONE 'UTC')"
    return RawSQL(
        f"""to_char({local}, 'YYYY-MM-DD"T"HH24:MI:SS') || to_char({offset}, 'HH24:MI')"""
    )


_PACIFIC_TEXT = {
    "submitted_text": _pacific_text('"submission"."submitted_at"'),
    "reviewed_text": _pacific_text('"submission"."reviewed_at"'),
}
_SUBMISSION_TEXT = (*_SUBMISSION[:5], "submitted_text", _SUBMISSION[6], "reviewed_text")


async def _submissions(principal: Principal, cycle_id: int) -> dict[int, tuple[Any, ...]]:
    """Each seen LEA's submission, its instants written as the CSV writes them."""
    query = scope.submissions(principal, cycle_id)
    if Submission._meta.db.capabilities.dialect == "postgres":
        written = await _rows(query.annotate(**_PACIFIC_TEXT).values(*_SUBMISSION_TEXT))
        return {int(row["lea_id"]): tuple(row[c] for c in _SUBMISSION_TEXT) for row in written}
    rows = await _rows(query.values_list(*_SUBMISSION))
    return {
        int(lea_id): (
            lea_id,
            status,
            a,
            b,
            c,
            _when(_SUBMITTED(sent)),
            email,
            _when(_REVIEWED(seen)),
        )
        for lea_id, status, a, b, c, sent, email, seen in rows
    }


async def _complete_counts(principal: Principal, cycle_id: int) -> dict[int, tuple[int, ...]]:
    """Derived (A, B, C) of each seen LEA whose worksheet is complete (SPEC §3.9)."""
    rows = (
        await scope.sampled_students(principal, cycle_id)
        .annotate(sampled=Count("id"), **{k: RawSQL(v) for k, v in COUNT_EXPRESSIONS.items()})
        .group_by("lea_id")
        .values_list("lea_id", "sampled", "missing", "a", "b", "c")
    )
    return {
        int(lea_id): (int(a or 0), int(b or 0), int(c or 0))
        for lea_id, sampled, missing, a, b, c in rows
        if int(sampled) > 0 and int(missing or 0) == 0
    }


async def lea_rows(
    principal: Principal, cycle: Cycle, selpa_id: int | None
) -> AsyncIterator[list[list[str]]]:
    """The CSV rows in CDS-code order, in one batch (no model object per LEA).

    The three reads go at once, each on its own pooled connection (each is one statement, as
    it was one after another); inside a transaction its one connection takes them in turn."""
    members_query = scope.memberships(principal, cycle.id)
    if selpa_id is not None:
        members_query = members_query.filter(selpa_id=selpa_id)
    members, submissions, complete = await asyncio.gather(
        _rows(members_query.order_by("lea__cds_code").values_list(*_MEMBER)),
        _submissions(principal, cycle.id),
        _complete_counts(principal, cycle.id),
    )
    if not members:
        return
    cycle_due = cycle.due_at
    default_due = _when(cycle_due)
    out: list[list[str]] = []
    append = out.append
    for lea_id, cds, name, selpa_code, selpa_name, required, sample_size, extension in members:
        _, status, a, b, c, submitted, email, reviewed = submissions.get(
            int(lea_id), _NO_SUBMISSION
        )
        derived = complete.get(int(lea_id))
        extension = _MEMBER_DUE(extension)
        extended = extension is not None and extension > cycle_due
        append(
            [
                cds,
                name,
                selpa_code or "",
                selpa_name or "",
                "true" if required else "false",
                _STATUS[status],
                "" if a is None else str(a),
                "" if b is None else str(b),
                "" if c is None else str(c),
                "" if a is None or b is None or c is None else str(a + b + c),
                "" if sample_size is None else str(sample_size),
                submitted or "",
                email or "",
                reviewed or "",
                _when(extension) if extended else default_due,
                "" if derived is None else ("false" if derived == (a, b, c) else "true"),
            ]
        )
    yield out
