"""``iepimp demo``, ``serve``, ``migrate`` and ``seed-demo``: the database and the server."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

from tortoise import Tortoise

from iepimp.db import database_problem, migrate_database, tortoise_config
from kernel.clock import system_clock
from kernel.settings import Settings, load_settings, sqlite_path
from models import Cycle, Lea, Selpa


def settings_for(args: argparse.Namespace) -> Settings:
    env = dict(os.environ)
    if getattr(args, "database_url", None):
        env["DATABASE_URL"] = args.database_url
    return load_settings(env)


def orm_config(settings: Settings) -> dict[str, Any]:
    return tortoise_config(settings.database_url, settings.db_pool_min, settings.db_pool_max)


async def seed_command(args: argparse.Namespace, settings: Settings) -> int:
    from iepimp.demo import seed_demo

    codes = await seed_demo(settings.secret_key, system_clock())
    if args.codes_out:
        out = Path(args.codes_out)
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(codes, handle, indent=2)
    cycles = await Cycle.all().order_by("name").values_list("name", "status")
    print("seeded: " + ", ".join(f"{name} ({status.value})" for name, status in cycles))
    print(f"{await Selpa.all().count()} SELPAs, {await Lea.all().count()} LEAs")
    return 0


def print_codes(codes: dict[str, Any]) -> None:
    print("Demo access codes (sign in on the portal, or with the `login` mutation):")
    print(f"  CDE_ADMIN    {codes['CDE_ADMIN']}")
    print(f"  CDE_ANALYST  {codes['CDE_ANALYST']}")
    for code, value in codes["SELPA"].items():
        print(f"  SELPA {code}   {value}")
    for cds, value in codes["LEA"].items():
        print(f"  LEA {cds}  {value}")


def serve_command(args: argparse.Namespace) -> int:
    import uvicorn

    settings = settings_for(args)
    problem = asyncio.run(database_problem(orm_config(settings)))
    if problem is not None:
        print(f"iepimp: {problem}", file=sys.stderr)
        return 1
    os.environ["DATABASE_URL"] = settings.database_url
    uvicorn.run(
        "iepimp.asgi:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        loop="uvloop",
        http="httptools",
        log_level="info",
        access_log=False,
        proxy_headers=False,  # forwarded addresses: IEPIMP_TRUSTED_PROXIES only (web/)
    )
    return 0


def demo_mail_dir(settings: Settings) -> str | None:
    """Where the sandbox writes its mail (beside its SQLite file) unless a mail server or a
    folder was configured."""
    if os.environ.get("IEPIMP_MAIL_DIR") or os.environ.get("SMTP_HOST"):
        return None
    db_file = sqlite_path(settings.database_url)
    return str((db_file.parent if db_file else Path("data")) / "mail")


def demo_command(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    mail_dir = demo_mail_dir(settings)
    if mail_dir is not None:
        os.environ["IEPIMP_MAIL_DIR"] = mail_dir

    async def prepare() -> None:
        from iepimp.demo import seed_demo

        config = orm_config(settings)
        await migrate_database(config)
        await Tortoise.init(config=config, _enable_global_fallback=True)
        try:
            print_codes(await seed_demo(settings.secret_key, system_clock()))
        finally:
            await Tortoise.close_connections()

    asyncio.run(prepare())
    print(f"Portal: http://{args.host}:{args.port}/  (sign in with a code above)")
    print(f"GraphiQL: http://{args.host}:{args.port}/graphql")
    if mail_dir is not None:
        print(f"Mail the service sends is written to {mail_dir}/ (one .eml file per message)")
    args.workers = 1
    return serve_command(args)


def migrate_command(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    asyncio.run(migrate_database(orm_config(settings)))
    print("database is up to date")
    return 0
