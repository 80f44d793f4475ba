"""``iepimp audit`` (one step of a drawn LEA's audit) and ``audit-summary``, over the same use
cases as ``recordAuditStep`` and ``auditSummary``."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable

from iepimp.admin_commands import CLI_PRINCIPAL, fail
from kernel.clock import system_clock
from kernel.settings import Settings
from models.shared.enums import AuditStep
from resolvers.audit.finding_queries import audit_findings, audit_summary
from resolvers.audit.record_audit_step import RecordAuditStep, record_audit_step

Work = Callable[[argparse.Namespace, Settings], Awaitable[int]]
Runner = Callable[[Work], Callable[[argparse.Namespace], int]]
CommandMaker = Callable[[str, str], argparse.ArgumentParser]


async def audit_command(args: argparse.Namespace, _: Settings) -> int:
    counts = (args.a, args.b, args.c)
    verified = (args.a, args.b, args.c) if None not in counts else None
    command = RecordAuditStep(args.cycle, args.lea, AuditStep(args.step), verified, args.note)
    outcome = await record_audit_step(CLI_PRINCIPAL, command, system_clock())
    if outcome.errors:
        for error in outcome.errors:
            fail(f"{error.code.value}: {error.message}")
        return 2
    row = outcome.selection
    assert row is not None
    shown = row.outcome.value if row.outcome else args.step
    print(f"audit {args.cycle} LEA {args.lea}: {args.step} recorded ({shown})")
    return 0


async def audit_summary_command(args: argparse.Namespace, _: Settings) -> int:
    summary = await audit_summary(CLI_PRINCIPAL, args.cycle)
    if summary is None:
        return fail(f"--cycle: no audit was drawn for {args.cycle}")
    for row in await audit_findings(CLI_PRINCIPAL, args.cycle):
        status = row.outcome.value if row.outcome else "in progress"
        print(f"{row.rank:4d}  {row.lea.cds_code}  {row.lea.name}  {status}")
    print(
        f"audit {args.cycle}: {summary.audited} audited, {summary.concluded} concluded, "
        f"{summary.confirmed} confirmed, {summary.discrepancies} discrepancies "
        f"({summary.corrected} corrected), {summary.students_moved} students moved, "
        f"agreement {summary.agreement_rate or '-'} %"
    )
    return 0


def register(command: CommandMaker, with_db: Runner) -> None:
    """Add ``audit`` and ``audit-summary`` through the CLI's ``command`` helper."""
    p = command("audit", "record a step of a drawn LEA's audit (outcomes are mailed)")
    p.add_argument("--cycle", required=True)
    p.add_argument("--lea", required=True, help="CDS code")
    p.add_argument("--step", required=True, choices=[s.value for s in AuditStep])
    p.add_argument("--a", type=int, help="RECORD_DISCREPANCY: verified count A")
    p.add_argument("--b", type=int, help="RECORD_DISCREPANCY: verified count B")
    p.add_argument("--c", type=int, help="RECORD_DISCREPANCY: verified count C")
    p.add_argument("--note", help="CDE's note (required for RECORD_DISCREPANCY)")
    p.set_defaults(run=with_db(audit_command))

    p = command("audit-summary", "the audited LEAs of a cycle and the audit in figures")
    p.add_argument("--cycle", required=True)
    p.set_defaults(run=with_db(audit_summary_command))
