"""Migration checks run in a child process: initialising Tortoise for another database in the
test process would rebind the model classes away from the session's database.

``python -m tests.support.migration_probe pending`` prints the autodetector's pending changes;
``python -m tests.support.migration_probe migrate URL`` migrates URL from zero, then checks that the
server accepts it and that a write moves the report epoch;
``python -m tests.support.migration_probe refuse URL`` checks that an unmigrated database is
refused.
Each prints one JSON line.
"""

from __future__ import annotations

import asyncio
import json
import sys

from tortoise import Tortoise
from tortoise.config import TortoiseConfig
from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

from iepimp.db import MigrationsBehind, init_database, migrate_database, tortoise_config
from models import Selpa
from resolvers.reports.epoch import current_token


async def pending() -> dict[str, object]:
    config = tortoise_config("sqlite://:memory:")
    async with TortoiseContext() as ctx:
        await ctx.init(config=config, init_connections=False)
        apps = TortoiseConfig.from_dict(config).to_dict()["apps"]
        writers = await MigrationAutodetector(ctx.apps, apps).changes()
    return {"pending": len(writers)}


async def migrate(url: str) -> dict[str, object]:
    config = tortoise_config(url)
    await migrate_database(config)
    await Tortoise.close_connections()
    await init_database(config)
    before = await current_token()
    await Selpa.create(code="9999", name="Probe SELPA")
    after = await current_token()
    await Tortoise.close_connections()
    return {"migrated": True, "epoch_moves": None not in (before, after) and before != after}


async def refuse(url: str) -> dict[str, object]:
    try:
        await init_database(tortoise_config(url))
    except MigrationsBehind:
        return {"refused": True}
    await Tortoise.close_connections()
    return {"refused": False}


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    work = {"pending": pending, "migrate": migrate, "refuse": refuse}[command]
    print(json.dumps(asyncio.run(work(*args))))
