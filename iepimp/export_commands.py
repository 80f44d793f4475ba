"""``iepimp export``: the LEA records, one LEA's student records, or a report, as CSV files.

The operator of the command line acts as a CDE administrator; files are created owner-only
and never overwrite an existing file (student records are PII).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from pathlib import Path
from typing import TextIO

from iepimp.admin_commands import CLI_PRINCIPAL, fail
from kernel.settings import Settings
from models import Cycle
from models.shared.csv_cells import BOM, csv_text
from models.shared.enums import ReportGrouping
from models.shared.identifiers import is_cds_code, is_selpa_code
from resolvers.directory import export_leas, export_students
from resolvers.directory import queries as directory_queries
from resolvers.reports.aggregate import DEFAULT_STATUSES, aggregate
from web.csv.report_download import report_csv

KINDS = ("leas", "students", "report")


def _open_new(path: Path) -> int:
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)


class _Refused(Exception):
    pass


Writer = Callable[[TextIO], Awaitable[int]]


async def _rows_writer(columns: Sequence[str], batches: AsyncIterator[list[list[str]]]) -> Writer:
    async def write(handle: TextIO) -> int:
        handle.write(BOM + csv_text([columns]))
        count = 0
        async for batch in batches:
            handle.write(csv_text(batch))
            count += len(batch)
        return count

    return write


async def _prepare(args: argparse.Namespace, cycle: Cycle) -> Writer:
    """What to write, once every option has been checked (nothing is created before)."""
    if args.kind == "report":
        grouping = ReportGrouping(args.group_by)
        figures = await aggregate(CLI_PRINCIPAL, cycle, [grouping], DEFAULT_STATUSES)

        async def write_report(handle: TextIO) -> int:
            handle.write(report_csv(figures))
            return len(figures)

        return write_report
    if args.kind == "students":
        if not args.lea or not is_cds_code(args.lea):
            raise _Refused("--lea: a 14-digit CDS code is needed for student records")
        membership = await directory_queries.find_membership(CLI_PRINCIPAL, cycle.id, args.lea)
        if membership is None:
            raise _Refused(f"--lea: {args.lea} is not an LEA of {cycle.name}")
        return await _rows_writer(
            export_students.COLUMNS,
            export_students.student_rows(CLI_PRINCIPAL, cycle.id, membership.lea_id),
        )
    selpa_id = None
    if args.selpa is not None:
        selpa = None
        if is_selpa_code(args.selpa):
            selpa = await directory_queries.find_selpa(CLI_PRINCIPAL, cycle.id, args.selpa)
        if selpa is None:
            raise _Refused(f"--selpa: {args.selpa} is not a SELPA of {cycle.name}")
        selpa_id = selpa.id
    return await _rows_writer(
        export_leas.COLUMNS, export_leas.lea_rows(CLI_PRINCIPAL, cycle, selpa_id)
    )


async def export_command(args: argparse.Namespace, _: Settings) -> int:
    cycle = await directory_queries.find_cycle(CLI_PRINCIPAL, args.cycle)
    if cycle is None:
        return fail(f"--cycle: there is no cycle {args.cycle}")
    try:
        write = await _prepare(args, cycle)
    except _Refused as refused:
        return fail(str(refused))
    out = Path(args.out)
    try:
        handle = os.fdopen(_open_new(out), "w", encoding="utf-8", newline="")
    except FileExistsError:
        return fail(f"--out: {out} exists; choose a new file")
    with handle:
        count = await write(handle)
    print(f"wrote {count} {args.kind} rows of {cycle.name} to {out}")
    return 0
