"""Committed migrations match the models and migrate a fresh database from zero."""

from pathlib import Path

import pytest
from tortoise.config import TortoiseConfig
from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

from iepimp.db import MigrationsBehind, init_database, migrate_database, tortoise_config
from tortoise import Tortoise


async def test_models_have_no_pending_changes() -> None:
    config = tortoise_config("sqlite://:memory:")
    async with TortoiseContext() as ctx:
        await ctx.init(config=config, init_connections=False)
        apps = TortoiseConfig.from_dict(config).to_dict()["apps"]
        writers = await MigrationAutodetector(ctx.apps, apps).changes()
    assert not writers, "models changed without a migration: run `tortoise makemigrations`"


async def test_fresh_sqlite_file_migrates_and_is_accepted(tmp_path: Path) -> None:
    config = tortoise_config(f"sqlite://{tmp_path / 'fresh.sqlite3'}")
    async with TortoiseContext():
        await migrate_database(config)
        await Tortoise.close_connections()
    async with TortoiseContext():
        await init_database(config)
        await Tortoise.close_connections()


async def test_unmigrated_database_is_refused(tmp_path: Path) -> None:
    config = tortoise_config(f"sqlite://{tmp_path / 'empty.sqlite3'}")
    async with TortoiseContext():
        with pytest.raises(MigrationsBehind):
            await init_database(config)
