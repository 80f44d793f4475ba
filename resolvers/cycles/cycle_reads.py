"""The cycles a caller may see, read by fixed statements: the list as plain values, one
cycle by name as its model."""

from __future__ import annotations

from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.connection import get_connection

from models import Cycle
from resolvers.shared import scope
from resolvers.shared.bulk import param
from resolvers.shared.principal import Principal

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
    rows = await db.execute_query_dict(_statement(db, columns, every), values)
    fields = [(column, Cycle._meta.fields_map[column].to_python_value) for column in columns]
    return [{column: convert(row[column]) for column, convert in fields} for row in rows]


_named: dict[tuple[str, bool], str] = {}


def _named_statement(db: BaseDBAsyncClient, every: bool) -> str:
    key = (db.capabilities.dialect, every)
    if key not in _named:
        seen = "" if every else f" AND id = {param(db, 2)}"
        _named[key] = f'SELECT * FROM "cycle" WHERE "name" = {param(db, 1)}{seen} LIMIT 1'  # noqa: S608
    return _named[key]


async def cycle_named(principal: Principal | None, name: str) -> Cycle | None:
    """The cycle of that name if ``scope.cycles`` lets the caller see it, built from its row
    as the ORM builds it."""
    every = scope.sees_every_cycle(principal)
    db = get_connection("default")
    values: list[Any] = [name] if every else [name, principal.cycle_id if principal else None]
    _, rows = await db.execute_query(_named_statement(db, every), values)
    return Cycle._init_from_db(**dict(rows[0])) if rows else None
