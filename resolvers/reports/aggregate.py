"""The aggregate report of a cycle (SPEC §3.8): one SQL statement grouped by the database.

Rows cover the active LEAs the caller may see (``scope.memberships``): CDE sees every group, a
SELPA its own SELPA and LEAs (county and state rows computed over its LEAs only), an LEA only
itself. LEA counts by status are of required LEAs (exempt LEAs apart); student counts are the
A/B/C of required LEAs whose current status is in ``statuses`` (APPROVED by default).
Timeliness: an LEA is on time when its first submission came on or before the end of the
minute of its effective due time (the later of its extension and the cycle's due time).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

from models import Cycle
from models.directory.counties import county_name
from models.reports.figures import STATE_KEY, STATE_LABEL, GroupFigures
from models.shared.enums import ReportGrouping, SubmissionStatus
from resolvers.cycles import cycle_reads
from resolvers.shared import scope
from resolvers.shared.principal import Principal

DEFAULT_STATUSES = (SubmissionStatus.APPROVED,)
NO_SELPA_LABEL = "No SELPA"

_GROUP_COLUMNS: dict[ReportGrouping, tuple[str, str, str]] = {
    ReportGrouping.STATE: (f"'{STATE_KEY}'", "''", "''"),
    ReportGrouping.COUNTY: ("substr(l.cds_code, 1, 2)", "''", "''"),
    ReportGrouping.SELPA: ("COALESCE(s.code, '')", "COALESCE(s.name, '')", "''"),
    ReportGrouping.LEA: ("l.cds_code", "l.name", "COALESCE(s.code, '')"),
}
"""Per grouping: the SQL of the group key, its label and (LEA rows) the SELPA code."""

_STATUS = "COALESCE(sub.status, 'NOT_STARTED')"
_SUBMITTED = f"{_STATUS} IN ('SUBMITTED', 'APPROVED')"


_NUMBERED = re.compile(r"\?(\d+)")


class _Params:
    """Numbered placeholders in the connection's style (each may be used several times), and
    their values in order."""

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        self.values: list[Any] = []

    def add(self, value: Any, cast: str = "") -> str:
        self.values.append(value)
        if self.dialect == "postgres":
            return f"${len(self.values)}{cast}"
        return f"?{len(self.values)}"

    def ungrouped(self, condition: str) -> str:
        """With a ``condition`` on the cycle, what keeps an ungrouped aggregate (one row, even
        of no rows) from coming out of no rows: a HAVING on the count, or, where SQLite may not
        take HAVING alone, a grouping by the one cycle every row is of."""
        if not condition:
            return ""
        return "HAVING COUNT(*) > 0" if self.dialect == "postgres" else "GROUP BY lc.cycle_id"

    def minute(self, expression: str) -> str:
        """``expression`` truncated to its UTC minute, comparable across rows."""
        if self.dialect == "postgres":
            return f"date_trunc('minute', {expression})"
        return f"strftime('%Y-%m-%d %H:%M', {expression})"


def _count(condition: str, value: str = "1") -> str:
    return f"COALESCE(SUM(CASE WHEN lc.required AND {condition} THEN {value} ELSE 0 END), 0)"


class _CycleTerms(NamedTuple):
    """How a statement names the cycle: its id, its due time truncated to the minute, and what
    else must hold of it (``condition``, which an ungrouped row must also meet to come out)."""

    id: str
    due_minute: str
    condition: str = ""


def _select(
    grouping: ReportGrouping,
    params: _Params,
    cycle: _CycleTerms,
    statuses: Sequence[SubmissionStatus],
    scope_sql: str,
) -> str:
    key, label, selpa = _GROUP_COLUMNS[grouping]
    chosen = ", ".join(params.add(s.value) for s in statuses)
    due = cycle.due_minute
    first = params.minute("sub.first_submitted_at")
    extension = params.minute("lc.due_at_extension")
    on_time = (
        f"{_SUBMITTED} AND sub.first_submitted_at IS NOT NULL AND ({first} <= {due} OR "
        f"(lc.due_at_extension IS NOT NULL AND {first} <= {extension}))"
    )
    picked = f"{_STATUS} IN ({chosen})"
    values = [
        f"'{grouping.value}'",
        key,
        label,
        selpa,
        "COALESCE(SUM(CASE WHEN lc.required THEN 1 ELSE 0 END), 0)",
        "COALESCE(SUM(CASE WHEN lc.required THEN 0 ELSE 1 END), 0)",
        *(_count(f"{_STATUS} = {status.value!r}") for status in SubmissionStatus),
        _count(picked, "COALESCE(sub.count_a, 0)"),
        _count(picked, "COALESCE(sub.count_b, 0)"),
        _count(picked, "COALESCE(sub.count_c, 0)"),
        _count(on_time),
        _count("lc.due_at_extension IS NOT NULL"),
        _count(f"{_STATUS} = {SubmissionStatus.APPROVED.value!r} AND sub.self_reviewed"),
    ]
    columns = [f"{value} AS {name}" for value, name in zip(values, COLUMNS, strict=True)]
    grouped = [e for e in (key, label, selpa) if not e.startswith("'")]
    return (
        f"SELECT {', '.join(columns)} FROM lea_cycle lc "  # noqa: S608 - values are placeholders
        "JOIN lea l ON l.id = lc.lea_id "
        "LEFT JOIN selpa s ON s.id = lc.selpa_id "
        "LEFT JOIN submission sub ON sub.cycle_id = lc.cycle_id AND sub.lea_id = lc.lea_id "
        f"WHERE lc.cycle_id = {cycle.id}{cycle.condition and ' AND ' + cycle.condition} "
        f"AND lc.active AND lc.id IN ({scope_sql}) "
        + (f"GROUP BY {', '.join(grouped)}" if grouped else params.ungrouped(cycle.condition))
    )


_MEMBERSHIPS_SQL: dict[tuple[object, ...], str] = {}
_MEMBERSHIPS_KEPT = 4096


def _memberships_sql(dialect: str, principal: Principal, cycle_id: int) -> str:
    """The ids of the memberships the caller sees in the cycle, as SQL; the same text for
    every caller of the same scope, so it is written once per scope and cycle."""
    key = (dialect, *scope.caller_scope(principal), cycle_id)
    found = _MEMBERSHIPS_SQL.get(key)
    if found is None:
        if len(_MEMBERSHIPS_SQL) >= _MEMBERSHIPS_KEPT:
            _MEMBERSHIPS_SQL.clear()
        found = _MEMBERSHIPS_SQL[key] = (
            scope.memberships(principal, cycle_id)
            .values_list("id", flat=True)
            .sql(params_inline=True)
        )
    return found


def report_sql(
    dialect: str,
    principal: Principal,
    cycle: Cycle,
    groupings: Iterable[ReportGrouping],
    statuses: Sequence[SubmissionStatus] = DEFAULT_STATUSES,
) -> tuple[str, list[Any]]:
    """One statement answering every grouping asked (UNION ALL), so that they agree."""
    scope_sql = _memberships_sql(dialect, principal, cycle.id)
    params = _Params(dialect)
    parts = [
        _select(
            g,
            params,
            _CycleTerms(
                params.add(cycle.id), params.minute(params.add(cycle.due_at, "::timestamptz"))
            ),
            statuses,
            scope_sql,
        )
        for g in groupings
    ]
    return _bound(params, " UNION ALL ".join(parts) + " ORDER BY grp, group_key")


def named_report_sql(
    dialect: str,
    principal: Principal,
    cycle_name: str,
    cycle_id: int,
    groupings: Iterable[ReportGrouping],
    statuses: Sequence[SubmissionStatus] = DEFAULT_STATUSES,
) -> tuple[str, list[Any]]:
    """``report_sql`` of the cycle named ``cycle_name``, taken to be the cycle ``cycle_id``,
    which the same statement checks: rows come only while the cycle of that name that the
    caller may see (``cycle_reads.named_cycle_sql``) is that one, with its due time as it is
    now. No rows means nothing is known: the cycle may be another's now, or out of the
    caller's sight, or have no row in scope (``report`` then looks the cycle up)."""
    scope_sql = _memberships_sql(dialect, principal, cycle_id)
    params = _Params(dialect)
    columns = f"id, {params.minute('due_at')} AS due_minute"
    named = cycle_reads.named_cycle_sql(principal, cycle_name, params.add, columns)

    def checked() -> _CycleTerms:
        same = params.add(cycle_id)
        condition = f"EXISTS (SELECT 1 FROM y WHERE y.id = {same})"  # noqa: S608
        return _CycleTerms(same, "(SELECT y.due_minute FROM y)", condition)

    parts = [_select(g, params, checked(), statuses, scope_sql) for g in groupings]
    sql = f"WITH y AS ({named}) " + " UNION ALL ".join(parts) + " ORDER BY grp, group_key"
    return _bound(params, sql)


def _bound(params: _Params, sql: str) -> tuple[str, list[Any]]:
    if params.dialect == "postgres":
        return sql, params.values
    # sqlite3 binds a sequence to plain ``?`` only (numbered ones are deprecated from 3.12)
    order = [int(n) - 1 for n in _NUMBERED.findall(sql)]
    return _NUMBERED.sub("?", sql), [params.values[i] for i in order]


def figures(row: Any) -> GroupFigures:
    """One row as the driver gives it (an asyncpg ``Record``, a ``sqlite3.Row``: typed by
    Tortoise as a dict, which it is not), read by position: its columns are ``COLUMNS``, in
    order, the counts in the order of ``GroupFigures``' fields (each an integer on both
    databases: ``COALESCE(SUM(...), 0)`` of integers)."""
    grouping = _GROUPINGS[row[0]]
    key = str(row[1])
    label = str(row[2])
    if grouping is ReportGrouping.STATE:
        label = STATE_LABEL
    elif grouping is ReportGrouping.COUNTY:
        label = county_name(key)
    elif grouping is ReportGrouping.SELPA and not key:
        label = NO_SELPA_LABEL
    selpa = str(row[3]) if grouping is ReportGrouping.LEA else None
    return GroupFigures(grouping, key, label, selpa, *row[_FIRST_COUNT:])


_GROUPINGS = {grouping.value: grouping for grouping in ReportGrouping}
COUNT_COLUMNS = (
    "required",
    "exempt",
    *(status.value.lower() for status in SubmissionStatus),
    "count_a",
    "count_b",
    "count_c",
    "on_time",
    "extensions_granted",
    "self_reviewed",
)
COLUMNS = ("grp", "group_key", "group_label", "selpa_code", *COUNT_COLUMNS)
"""A report statement's columns, in the order ``figures`` reads them."""
_FIRST_COUNT = COLUMNS.index(COUNT_COLUMNS[0])


async def aggregate(
    principal: Principal,
    cycle: Cycle,
    groupings: Iterable[ReportGrouping],
    statuses: Sequence[SubmissionStatus] = DEFAULT_STATUSES,
    using: BaseDBAsyncClient | None = None,
) -> list[GroupFigures]:
    connection = using or connections.get("default")
    sql, values = report_sql(connection.capabilities.dialect, principal, cycle, groupings, statuses)
    _, rows = await connection.execute_query(sql, values)
    return [figures(row) for row in rows]
