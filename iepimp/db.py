"""Tortoise configuration, migrations and the start-up check that the schema is current."""

from __future__ import annotations

import os
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from tortoise import Tortoise
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.connection import get_connection
from tortoise.exceptions import DBConnectionError
from tortoise.migrations.api import migrate
from tortoise.migrations.executor import MigrationExecutor

from iepimp.migration_lock import DatabaseUnreachable, migration_lock
from kernel.settings import DEFAULT_DATABASE_URL, sqlite_path

APP_LABEL = "models"
MODEL_MODULES = ["models"]


POSTGRES_ENGINE = "tortoise.backends.asyncpg"


async def keep_session(connection: asyncpg.Connection) -> None:
    """Given to the asyncpg pool as ``reset``: a released connection keeps its session.

    Tortoise takes a pooled connection for every statement outside a transaction, and the
    pool's default reset sends ``SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *;
    RESET ALL`` on each release: one more statement for every statement. With a ``reset``
    hook the pool still rolls back a transaction left open and drops listeners first
    (``Connection._reset``); what the default adds is only needed for session-level state,
    and pooled connections never hold any: advisory locks are transaction-scoped
    (``pg_advisory_xact_lock``; the migration lock has a connection of its own), settings are
    ``SET LOCAL``/``set_config(..., true)``, temporary tables are ``ON COMMIT DROP``, and
    nothing declares a cursor ``WITH HOLD`` or runs ``LISTEN``. New code taking session-level
    state must undo it before releasing the connection (``tests/test_pool_reset.py`` checks
    the source for it)."""


def _connection(url: str, pool_min: int, pool_max: int) -> str | dict[str, Any]:
    """``url`` as Tortoise takes it; PostgreSQL expanded so the pool gets ``keep_session``."""
    expanded = expand_db_url(url)
    if expanded["engine"] != POSTGRES_ENGINE:
        return url
    credentials = {"minsize": pool_min, "maxsize": pool_max, **expanded["credentials"]}
    credentials["reset"] = keep_session
    return {"engine": POSTGRES_ENGINE, "credentials": credentials}


def tortoise_config(database_url: str, pool_min: int = 1, pool_max: int = 10) -> dict[str, Any]:
    """The Tortoise config dict for one database URL (kept under ``database_url`` too)."""
    return {
        "connections": {"default": _connection(database_url, pool_min, pool_max)},
        "apps": {
            APP_LABEL: {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": "models.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
        "database_url": database_url,
    }


def database_url(config: dict[str, Any]) -> str:
    """The URL a ``tortoise_config`` dict was made from."""
    return str(config["database_url"])


TORTOISE_ORM = tortoise_config(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
"""Used by the ``tortoise`` command (``makemigrations``, ``migrate``) via pyproject.toml."""


def ensure_sqlite_dir(database_url: str) -> None:
    path = sqlite_path(database_url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)


async def migrate_database(config: dict[str, Any]) -> None:
    """Apply every pending migration, one run at a time per database, and close the
    connections it opened (run once, before any server process starts)."""
    url = database_url(config)
    ensure_sqlite_dir(url)
    async with migration_lock(url):
        try:
            await migrate(config=config)
        except DBConnectionError as exc:
            raise DatabaseUnreachable(f"cannot reach the database: {exc}") from None
        finally:
            await Tortoise.close_connections()


async def pending_migrations() -> list[str]:
    """Names of migrations not yet applied to the initialised default connection."""
    executor = MigrationExecutor(
        get_connection("default"),
        {APP_LABEL: {"models": MODEL_MODULES, "migrations": "models.migrations"}},
    )
    steps = await executor.plan(None)
    return [step.migration.name for step in steps if not step.backward]


class MigrationsBehind(RuntimeError):
    """The database schema is older than the code."""

    MESSAGE = "the database is behind the code; run `iepimp migrate` first (pending: "


async def init_database(config: dict[str, Any]) -> None:
    """Open the connections for a server process; refuse a database that is not migrated."""
    ensure_sqlite_dir(database_url(config))
    await Tortoise.init(config=config, _enable_global_fallback=True)
    pending = await pending_migrations()
    if pending:
        await Tortoise.close_connections()
        raise MigrationsBehind(MigrationsBehind.MESSAGE + ", ".join(pending) + ")")


async def database_problem(config: dict[str, Any]) -> str | None:
    """Why a server could not start on this database (unreachable, or migrations behind), in
    one sentence, or None when it can."""
    ensure_sqlite_dir(database_url(config))
    try:
        await Tortoise.init(config=config, _enable_global_fallback=True)
        await get_connection("default").execute_query("SELECT 1")
        pending = await pending_migrations()
    except (OSError, DBConnectionError) as exc:
        return f"cannot reach the database: {exc}"
    finally:
        await Tortoise.close_connections()
    if pending:
        return MigrationsBehind.MESSAGE + ", ".join(pending) + ")"
    return None
