"""Tortoise configuration, migrations and the start-up check that the schema is current."""

from __future__ import annotations

import os
from typing import Any

from tortoise import Tortoise
from tortoise.connection import get_connection
from tortoise.exceptions import DBConnectionError
from tortoise.migrations.api import migrate
from tortoise.migrations.executor import MigrationExecutor

from iepimp.migration_lock import DatabaseUnreachable, migration_lock
from kernel.settings import DEFAULT_DATABASE_URL, sqlite_path

APP_LABEL = "models"
MODEL_MODULES = ["models"]


def tortoise_config(database_url: str, pool_min: int = 1, pool_max: int = 10) -> dict[str, Any]:
    """The Tortoise config dict for one database URL."""
    url = database_url
    if url.startswith(("postgres://", "asyncpg://")) and "maxsize=" not in url:
        url += ("&" if "?" in url else "?") + f"minsize={pool_min}&maxsize={pool_max}"
    return {
        "connections": {"default": url},
        "apps": {
            APP_LABEL: {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": "models.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


TORTOISE_ORM = tortoise_config(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
"""Used by the ``tortoise`` command (``makemigrations``, ``migrate``) via pyproject.toml."""


def ensure_sqlite_dir(database_url: str) -> None:
    path = sqlite_path(database_url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)


async def migrate_database(config: dict[str, Any]) -> None:
    """Apply every pending migration, one run at a time per database, and close the
    connections it opened (run once, before any server process starts)."""
    url = config["connections"]["default"]
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
    ensure_sqlite_dir(config["connections"]["default"])
    await Tortoise.init(config=config, _enable_global_fallback=True)
    pending = await pending_migrations()
    if pending:
        await Tortoise.close_connections()
        raise MigrationsBehind(MigrationsBehind.MESSAGE + ", ".join(pending) + ")")


async def database_problem(config: dict[str, Any]) -> str | None:
    """Why a server could not start on this database (unreachable, or migrations behind), in
    one sentence, or None when it can."""
    ensure_sqlite_dir(config["connections"]["default"])
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
