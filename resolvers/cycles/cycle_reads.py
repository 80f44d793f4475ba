"""The cycles a caller may see, as plain values read by one fixed statement."""

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
