"""The cycles a caller may see, read by fixed statements: the list as plain values, one
cycle by name as its model (or as SQL, for a statement that reads it with more). Requests that
read the same at once share a statement (``shared_reads``) and its rows; each caller converts
them into values and models of its own."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.connection import get_connection

from models import Cycle
from resolvers.shared import scope
from resolvers.shared.bulk import param
from resolvers.shared.principal import Principal
from resolvers.shared.shared_reads import shared_read

_statements: dict[tuple[str, tuple[str, ...], bool], str] = {}


def _statement(db: BaseDBAsyncClient, columns: tuple[str, ...], every: bool) -> str:
    key = (db.capabilities.dialect, columns, every)
    if key not in _statements:
        where = "" if every else f" WHERE id = {param(db, 1)}"
        listed = ", ".join(f'"{column}"' for column in columns)
        _statements[key] = f'SELECT {listed} FROM "cycle"{where} ORDER BY "name" DESC'  # noqa: S608
    return _statements[key]


async def visible_cycles(
    principal: Principal | None, columns: tuple[str, ...]
) -> list[dict[str, Any]]:
    """``columns`` of the cycles ``scope.cycles`` lets the caller see, newest first, each value
    as the ORM reads it."""
    every = scope.sees_every_cycle(principal)
    db = get_connection("default")
    values = [] if every else [principal.cycle_id if principal else None]
    sql = _statement(db, columns, every)
    rows = await shared_read(db, (sql, *values), lambda: db.execute_query_dict(sql, values))
    fields = [(column, Cycle._meta.fields_map[column].to_python_value) for column in columns]
    return [{column: convert(row[column]) for column, convert in fields} for row in rows]


def named_cycle_sql(
    principal: Principal | None, name: str, bind: Callable[[Any], str], columns: str = "*"
) -> str:
    """The statement of the cycle of that name if ``scope.cycles`` lets the caller see it;
    ``bind`` takes each value and answers its placeholder."""
    named = bind(name)
    seen = ""
    if not scope.sees_every_cycle(principal):
        seen = f" AND id = {bind(principal.cycle_id if principal else None)}"
    return f'SELECT {columns} FROM "cycle" WHERE "name" = {named}{seen} LIMIT 1'  # noqa: S608


async def cycle_named(principal: Principal | None, name: str) -> Cycle | None:
    """The cycle of that name if ``scope.cycles`` lets the caller see it, built from its row
    as the ORM builds it."""
    db = get_connection("default")
    values: list[Any] = []

    def bind(value: Any) -> str:
        values.append(value)
        return param(db, len(values))

    sql = named_cycle_sql(principal, name, bind)

    async def read() -> Sequence[Any]:
        _, rows = await db.execute_query(sql, values)
        return rows

    rows = await shared_read(db, (sql, *values), read)
    return Cycle._init_from_db(**dict(rows[0])) if rows else None
