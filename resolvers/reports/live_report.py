"""The report a caller asks for by cycle name (SPEC §3.8): one statement once the cycle's id
is known, which the statement itself checks (``aggregate.named_report_sql``); otherwise the
cycle is looked up first, and its id learnt."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tortoise import connections

from kernel.errors import InvalidInput
from models.reports.figures import GroupFigures
from models.shared.enums import ReportGrouping, SubmissionStatus
from models.shared.keyed import Keyed
from resolvers.directory import queries as directory_queries
from resolvers.reports.aggregate import DEFAULT_STATUSES, aggregate, figures, named_report_sql
from resolvers.shared import scope
from resolvers.shared.principal import Principal


async def report(
    principal: Principal,
    cycle_name: str,
    grouping: ReportGrouping,
    statuses: Sequence[SubmissionStatus] | None,
) -> Sequence[GroupFigures]:
    """The report of a cycle the caller may see; an unknown or foreign cycle gives no rows.
    One statement when the cycle's id is known (and still right), else a lookup first; the
    rows' figures keyed by the rows they are read from."""
    if statuses is not None and not statuses:
        raise InvalidInput("statuses", "statuses must name at least one status (or be omitted).")
    chosen = tuple(dict.fromkeys(statuses)) if statuses else DEFAULT_STATUSES
    known = _CYCLE_IDS.get(cycle_name)
    if known is not None:
        connection = connections.get("default")
        dialect = connection.capabilities.dialect
        sql, values = _named_statement(dialect, principal, cycle_name, known, grouping, chosen)
        _, rows = await connection.execute_query(sql, list(values))
        if rows:
            return Keyed(rows, figures)
    cycle = await directory_queries.find_cycle(principal, cycle_name)
    if cycle is None:
        return []
    if len(_CYCLE_IDS) >= _CYCLE_IDS_KEPT:
        _CYCLE_IDS.clear()
    _CYCLE_IDS[cycle_name] = cycle.id
    return await aggregate(principal, cycle, [grouping], chosen)


def _named_statement(
    dialect: str,
    principal: Principal,
    cycle_name: str,
    cycle_id: int,
    grouping: ReportGrouping,
    statuses: tuple[SubmissionStatus, ...],
) -> tuple[str, tuple[Any, ...]]:
    """``named_report_sql``, written once for each set of what it is written from (the scope
    fully determines the caller's part)."""
    key = (dialect, *scope.caller_scope(principal), cycle_name, cycle_id, grouping, statuses)
    found = _NAMED_STATEMENTS.get(key)
    if found is None:
        if len(_NAMED_STATEMENTS) >= _STATEMENTS_KEPT:
            _NAMED_STATEMENTS.clear()
        sql, values = named_report_sql(
            dialect, principal, cycle_name, cycle_id, [grouping], statuses
        )
        found = _NAMED_STATEMENTS[key] = (sql, tuple(values))
    return found


_NAMED_STATEMENTS: dict[tuple[object, ...], tuple[str, tuple[Any, ...]]] = {}
_STATEMENTS_KEPT = 4096
_CYCLE_IDS: dict[str, int] = {}
"""The id each cycle name last had: a report then names its cycle inside its own statement,
which checks the pair (``named_report_sql``); no rows back, and the cycle is looked up first."""
_CYCLE_IDS_KEPT = 256
