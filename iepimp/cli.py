"""``iepimp``: the admin command line (demo, serve, migrate, cycles, samples, access codes)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime
from importlib import metadata
from pathlib import Path

from tortoise import Tortoise

from iepimp import (
    admin_commands,
    audit_commands,
    cycle_commands,
    export_commands,
    publish_command,
    server_commands,
    year_commands,
)
from iepimp.db import migrate_database
from iepimp.mail_commands import deliver_mail, send_reminders_command
from iepimp.migration_lock import DatabaseUnreachable
from iepimp.server_commands import orm_config as _config
from iepimp.server_commands import settings_for as _settings
from kernel.settings import Settings, SettingsError
from models.cycles.bands import Band, validate_bands
from models.shared.deadlines import PACIFIC
from models.shared.enums import ReportGrouping, Role
from resolvers.cycles.create_cycle import DEFAULT_CERTIFICATION


def _with_db(
    work: Callable[[argparse.Namespace, Settings], Awaitable[int]],
) -> Callable[[argparse.Namespace], int]:
    """Migrate, open the database, run ``work``, close."""

    def run(args: argparse.Namespace) -> int:
        settings = _settings(args)

        async def main() -> int:
            config = _config(settings)
            await migrate_database(config)
            await Tortoise.init(config=config, _enable_global_fallback=True)
            try:
                return await work(args, settings)
            finally:
                await Tortoise.close_connections()

        return asyncio.run(main())

    return run


def _due(value: str) -> datetime:
    """``YYYY-MM-DD HH:MM`` in America/Los_Angeles, or an ISO instant with an offset."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date and time: {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=PACIFIC)


def _days(value: str) -> list[int]:
    try:
        return [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of days: {value!r}") from None


def _bands(value: str) -> list[Band]:
    """A band table given as JSON, or as the path of a JSON file."""
    path = Path(value)
    text = path.read_text(encoding="utf-8") if path.is_file() else value
    try:
        return validate_bands(json.loads(text))
    except (ValueError, json.JSONDecodeError) as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _print_schema(_: argparse.Namespace) -> int:
    from schema.build import SDL_PATH, print_sdl

    SDL_PATH.write_text(print_sdl(), encoding="utf-8")
    print(f"wrote {SDL_PATH}")
    return 0


def _version() -> str:
    try:
        return metadata.version("iepimp")
    except metadata.PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="iepimp", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:])
        p.add_argument("--database-url", help="overrides DATABASE_URL")
        return p

    p = command("demo", "seed the sandbox (if needed) and serve it with GraphiQL")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(run=server_commands.demo_command)

    p = command("serve", "serve an existing, migrated database")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "1")))
    p.set_defaults(run=server_commands.serve_command)

    p = command("migrate", "apply pending database migrations (a second run waits for the first)")
    p.set_defaults(run=server_commands.migrate_command)

    p = command("seed-demo", "seed the sandbox cycles and exit")
    p.add_argument("--codes-out", help="write the demo access codes to this JSON file")
    p.set_defaults(run=_with_db(server_commands.seed_command))

    p = command("create-cycle", "create a DRAFT cycle")
    p.add_argument("--name", required=True, help="e.g. 2024-25")
    p.add_argument("--window-start", type=_date, required=True)
    p.add_argument("--window-end", type=_date, required=True)
    p.add_argument("--due", type=_due, required=True, help="'2025-06-30 23:59' (Pacific)")
    p.add_argument("--max-sample", type=int, default=500)
    p.add_argument("--bands", type=_bands, help="band table as JSON, or a JSON file")
    p.add_argument("--certification-text", default=DEFAULT_CERTIFICATION)
    p.add_argument("--reminder-days", type=_days, default=[14, 7, 1])
    p.add_argument("--grace-days", type=int, default=10)
    p.add_argument("--seed", help="sampling seed, 16 to 128 characters (default: random)")
    p.add_argument("--allow-past-due", action="store_true", help="create it although past due")
    p.set_defaults(run=_with_db(cycle_commands.create_cycle_command))

    p = command("draw-sample", "draw the samples of a cycle")
    p.add_argument("--cycle", required=True)
    p.add_argument("--lea", help="only this CDS code")
    p.add_argument("--report", help="write the sampling report (CSV) to this file")
    p.set_defaults(run=_with_db(cycle_commands.draw_sample_command))

    p = sub.add_parser(
        "generate",
        help="write synthetic directory.csv and roster.csv",
        description="Write synthetic directory.csv and roster.csv (made-up names and SSIDs).",
    )
    p.add_argument("--scale", choices=admin_commands.SCALE_NAMES, default="demo")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True, help="directory to write into")
    p.set_defaults(run=admin_commands.generate_command)

    p = command("import", "import the directory or a roster of a cycle from CSV")
    p.add_argument("kind", choices=["directory", "roster"])
    p.add_argument("file")
    p.add_argument("--cycle", required=True)
    p.set_defaults(run=_with_db(admin_commands.import_command))

    p = command("export", "write LEA records, one LEA's student records or a report as CSV")
    p.add_argument("kind", choices=export_commands.KINDS)
    p.add_argument("--cycle", required=True)
    p.add_argument("--out", required=True, help="a new file (created owner-only)")
    p.add_argument("--selpa", help="leas: only this SELPA's LEAs")
    p.add_argument("--lea", help="students: the LEA's CDS code")
    p.add_argument("--group-by", choices=[g.value for g in ReportGrouping], default="SELPA")
    p.set_defaults(run=_with_db(export_commands.export_command))

    p = sub.add_parser(
        "print-schema",
        help="write the GraphQL SDL to schema/schema.graphql",
        description="Write the GraphQL SDL to schema/schema.graphql.",
    )
    p.set_defaults(run=_print_schema)

    p = command("issue-codes", "issue a code per SELPA and per required LEA, into a new CSV")
    p.add_argument("--cycle", required=True)
    p.add_argument("--out", required=True, help="new file, created readable by its owner only")
    p.add_argument("--reissue", action="store_true", help="revoke and replace live codes")
    p.set_defaults(run=_with_db(admin_commands.issue_codes_command))

    p = command("draw-audit", "draw the 10%% audit selection of a cycle (after its due time)")
    p.add_argument("--cycle", required=True)
    p.set_defaults(run=_with_db(admin_commands.draw_audit_command))

    p = command("issue-code", "issue one access code and print it once")
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument("--cycle")
    p.add_argument("--scope", help="SELPA code or CDS code")
    p.set_defaults(run=_with_db(admin_commands.issue_code_command))

    p = command("publish", "print the disclosure audit of a cycle's results, then publish them")
    p.add_argument("cycle")
    p.add_argument("--dry-run", action="store_true", help="print the audit, publish nothing")
    p.set_defaults(run=_with_db(publish_command.publish_command))

    p = command("deliver-mail", "deliver the mail outbox over SMTP")
    p.add_argument("--once", action="store_true", help="deliver what is due now, then exit")
    p.set_defaults(run=_with_db(deliver_mail))

    p = command("send-reminders", "queue today's deadline reminders (idempotent)")
    p.add_argument("--cycle", help="only this cycle (default: every open cycle)")
    p.set_defaults(run=_with_db(send_reminders_command))
    year_commands.register(command, _with_db)
    audit_commands.register(command, _with_db)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except SettingsError as exc:
        print(f"iepimp: configuration error: {exc}", file=sys.stderr)
        return 2
    except DatabaseUnreachable as exc:
        print(f"iepimp: {exc}", file=sys.stderr)
        return 1
