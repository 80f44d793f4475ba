"""``iepimp generate``, ``import``, ``issue-code(s)``, ``draw-audit`` and the sampling report."""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

from iepimp.generate import SCALES, generate
from iepimp.progress import Progress, progress
from kernel.clock import system_clock
from kernel.settings import Settings
from models import Cycle
from models.shared.enums import Role
from resolvers.access.issue_access_code import ScopeError, issue_code, resolve_scope
from resolvers.access.issue_cycle_codes import IssueRefused, issue_cycle_codes
from resolvers.audit.draw_audit_selection import draw_audit_selection
from resolvers.cycles.sampling_report import COLUMNS as REPORT_COLUMNS
from resolvers.cycles.sampling_report import sampling_report
from resolvers.directory.import_directory import import_directory
from resolvers.directory.import_file import ImportRefused
from resolvers.directory.import_roster import import_roster
from resolvers.shared.principal import Principal

CLI_PRINCIPAL = Principal(role=Role.CDE_ADMIN, access_code_id=0, scope_code="admin-cli")
"""The operator of the admin command line, as the audit log names it."""


def fail(message: str) -> int:
    print(f"iepimp: {message}", file=sys.stderr)
    return 2


def generate_command(args: argparse.Namespace) -> int:
    summary = generate(
        args.scale, args.seed, Path(args.out), progress=progress("writing roster", "students")
    )
    print(
        f"wrote {summary.selpas} SELPAs, {summary.leas} LEAs and {summary.students:,} students "
        f"to {args.out}/directory.csv and roster.csv (synthetic, seed {args.seed})"
    )
    return 0


SCALE_NAMES = sorted(SCALES)


def roster_progress() -> Progress:
    """The roster is read twice (checked, then loaded): the count is of rows times passes."""
    return progress("roster (check, then load: each row twice)", "row passes")


async def import_command(args: argparse.Namespace, _: Settings) -> int:
    path = Path(args.file)
    try:
        if args.kind == "directory":
            d = await import_directory(
                args.cycle, path, system_clock(), progress=progress("directory", "rows")
            )
            verb = "changed" if d.changed else "no changes"
            print(
                f"directory {args.cycle}: {d.rows} rows, {verb} (SELPAs {d.selpas_written}, "
                f"LEAs {d.leas_written}, memberships {d.memberships_written} written)"
            )
        else:
            r = await import_roster(
                args.cycle,
                path,
                system_clock(),
                progress=roster_progress(),
            )
            verb = "changed" if r.changed else "no changes"
            print(
                f"roster {args.cycle}: {r.rows:,} rows, {verb} (inserted {r.inserted:,}, "
                f"updated {r.updated:,}, removed {r.deleted:,}; {r.leas_changed} LEAs to redraw)"
            )
    except OSError as exc:
        return fail(f"{args.file}: {exc.strerror or exc}")
    except ImportRefused as refused:
        for error in refused.errors:
            print(f"{args.file}: {error}", file=sys.stderr)
        return fail(f"file refused with {len(refused.errors)} error(s); nothing was changed")
    return 0


async def write_sampling_report(cycle: Cycle, path: Path) -> None:
    rows = await sampling_report(cycle)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(REPORT_COLUMNS)
        writer.writerows(rows)


async def issue_codes_command(args: argparse.Namespace, settings: Settings) -> int:
    cycle = await Cycle.get_or_none(name=args.cycle)
    if cycle is None:
        return fail(f"--cycle: there is no cycle {args.cycle}")
    out = Path(args.out)
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return fail(f"--out: {out} exists; codes are written only to a new file")
    try:
        issued, skipped = await issue_cycle_codes(
            settings.secret_key,
            cycle,
            system_clock(),
            reissue=args.reissue,
            progress=progress("issuing codes", "codes"),
        )
    except BaseException as exc:
        os.close(fd)
        os.unlink(out)
        if isinstance(exc, IssueRefused):
            return fail(str(exc))
        raise
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("role", "scope_code", "name", "access_code"))
        for row in issued:
            writer.writerow((row.role.value, row.scope_code, row.name, row.access_code))
    note = f"; {skipped} already had a live code (--reissue replaces them)" if skipped else ""
    print(f"issued {len(issued)} access codes for {cycle.name} into {out} (mode 0600){note}")
    return 0


async def issue_code_command(args: argparse.Namespace, settings: Settings) -> int:
    role = Role(args.role)
    try:
        cycle, selpa, lea = await resolve_scope(role, args.cycle, args.scope)
    except ScopeError as exc:
        return fail(f"--{exc.field}: {exc}")
    issued = await issue_code(
        settings.secret_key, role, system_clock(), cycle=cycle, selpa=selpa, lea=lea
    )
    print(issued.code)
    return 0


async def draw_audit_command(args: argparse.Namespace, _: Settings) -> int:
    result = await draw_audit_selection(CLI_PRINCIPAL, args.cycle, system_clock())
    if result.errors:
        return fail("; ".join(f"{e.code.value}: {e.message}" for e in result.errors))
    print(f"audit {args.cycle}: seed {result.seed}, drawn {result.drawn_at:%Y-%m-%d %H:%M %Z}")
    for rank, membership in enumerate(result.selected, start=1):
        print(f"{rank:4d}  {membership.lea.cds_code}  {membership.lea.name}")
    if result.waiting:
        print("not drawable, extension still running: " + ", ".join(result.waiting))
    return 0
