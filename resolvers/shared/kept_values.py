"""Values queries whose statement is written once per shape.

The ORM builds a values query's SQL anew for every call, which for a fixed shape (the same
scope, filters and columns; only some values differ) is most of what the call costs. Here the
ORM builds it once, with a stand-in for each value that differs from call to call; each call
then binds its own values in the stand-ins' places, and reads the rows as the ORM's values
query reads them (each column through its field's conversion). A value is bound as it is given,
without the field's own checks (a length, say): callers pass values their arguments have
already checked, and one that would fail such a check only matches nothing.
"""

from __future__ import annotations

import types
import zlib
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.connection import get_connection
from tortoise.queryset import ValuesQuery


def stand_in(name: str) -> str:
    """What a query is built with in place of the text value ``name``: a string no caller
    sends (NUL on either side, which no accepted text holds, nor PostgreSQL), short enough to
    pass a field's length check."""
    return f"\x00{name}\x00"


def stand_in_number(name: str) -> int:
    """What a query is built with in place of the whole number ``name`` (an id, a limit):
    a number past any id or count a query of ours is built with (2**52 and up)."""
    return 2**52 + zlib.crc32(name.encode())


@dataclass(frozen=True)
class _Statement:
    sql: str
    arguments: tuple[Any, ...]
    slots: tuple[tuple[int, str], ...]
    """Where each stand-in sits among the arguments, and the name of the value it stands for."""
    converters: tuple[tuple[str, Callable[[Any], Any]], ...]
    """As the ORM's values query converts its columns (it leaves those a plain function reads)."""


_kept: dict[Hashable, _Statement] = {}
_KEPT = 4096


def _written(query: ValuesQuery[Any], names: tuple[str, ...]) -> _Statement:
    query.sql()  # builds the query, as ``export_leas._rows`` has it built
    sql, arguments = query.query.get_parameterized_sql()
    stood_in: dict[object, str] = {stand_in(name): name for name in names}
    stood_in |= {stand_in_number(name): name for name in names}
    slots = [
        (index, stood_in[argument])
        for index, argument in enumerate(arguments)
        if type(argument) in (str, int) and argument in stood_in
    ]
    if sorted(name for _, name in slots) != sorted(names):
        raise ValueError(f"each of {names} must stand in the statement exactly once")
    converters = tuple(
        (alias, convert)
        for alias, convert in (
            (alias, query.resolve_to_python_value(query.model, field))
            for alias, field in query._fields_for_select.items()
        )
        if not isinstance(convert, types.LambdaType)
    )
    return _Statement(sql, tuple(arguments), tuple(slots), converters)


async def kept_values(
    key: Hashable, build: Callable[[], ValuesQuery[Any]], values: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """The rows of the values query ``build`` makes, where each of ``values`` is given as
    ``stand_in(name)`` (text) or ``stand_in_number(name)``; written once for each ``key``,
    which must name everything else the query is built from."""
    db: BaseDBAsyncClient = get_connection("default")
    full_key = (db.capabilities.dialect, key)
    statement = _kept.get(full_key)
    if statement is None:
        if len(_kept) >= _KEPT:
            _kept.clear()
        statement = _kept[full_key] = _written(build(), tuple(values))
    arguments = list(statement.arguments)
    for index, name in statement.slots:
        arguments[index] = values[name]
    rows = await db.execute_query_dict(statement.sql, arguments)
    for row in rows:
        for alias, convert in statement.converters:
            row[alias] = convert(row[alias])
    return rows
