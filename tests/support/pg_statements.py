"""Record every statement asyncpg sends to PostgreSQL, the pool's own ones included (the
``tortoise.db_client`` log sees only Tortoise's statements)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from asyncpg.connection import Connection  # type: ignore[import-untyped]


@contextmanager
def pg_statements() -> Iterator[list[str]]:
    """The SQL text of each statement sent while the block runs, in order."""
    seen: list[str] = []
    simple, extended, many = Connection.execute, Connection._execute, Connection._executemany

    async def execute(self: Connection, query: str, *args: Any, **kw: Any) -> Any:
        if not args:
            seen.append(query)
        return await simple(self, query, *args, **kw)

    async def execute_extended(self: Connection, query: str, *args: Any, **kw: Any) -> Any:
        seen.append(query)
        return await extended(self, query, *args, **kw)

    async def execute_many(self: Connection, query: str, *args: Any, **kw: Any) -> Any:
        seen.append(query)
        return await many(self, query, *args, **kw)

    Connection.execute, Connection._execute = execute, execute_extended
    Connection._executemany = execute_many
    try:
        yield seen
    finally:
        Connection.execute, Connection._execute, Connection._executemany = simple, extended, many
