"""One migration run at a time per database: a PostgreSQL advisory lock held on its own
connection, or an exclusive lock on a file beside the SQLite database."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg  # type: ignore[import-untyped]

from kernel.settings import sqlite_path


class DatabaseUnreachable(RuntimeError):
    """The database server refused the connection or the database does not exist."""


LOCK_KEY = 0x1E_91_4D_00_17
"""The advisory lock key every ``iepimp migrate`` takes (one bigint, fixed)."""


def _postgres_dsn(database_url: str) -> str | None:
    parts = urlsplit(database_url)
    if parts.scheme not in ("postgres", "asyncpg"):
        return None
    return urlunsplit(("postgresql", parts.netloc, parts.path, "", ""))


@contextlib.asynccontextmanager
async def _advisory_lock(dsn: str) -> AsyncIterator[None]:
    try:
        conn = await asyncpg.connect(dsn)
    except (OSError, asyncpg.PostgresError) as exc:
        raise DatabaseUnreachable(f"cannot reach the database: {exc}") from None
    try:
        await conn.execute("SELECT pg_advisory_lock($1)", LOCK_KEY)
        try:
            yield
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1)", LOCK_KEY)
    finally:
        await conn.close()


@contextlib.asynccontextmanager
async def _file_lock(path: Path) -> AsyncIterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        await asyncio.to_thread(fcntl.flock, handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@contextlib.asynccontextmanager
async def migration_lock(database_url: str) -> AsyncIterator[None]:
    """Hold the database's migration lock; a second caller waits until the first is done."""
    dsn = _postgres_dsn(database_url)
    if dsn is not None:
        async with _advisory_lock(dsn):
            yield
        return
    db_file = sqlite_path(database_url)
    if db_file is None:
        yield
        return
    async with _file_lock(db_file.with_name(db_file.name + ".migrate-lock")):
        yield
