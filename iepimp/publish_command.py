"""``iepimp publish CYCLE [--dry-run]``: the disclosure audit of a cycle's snapshot, and its
publication (the use case behind ``publishResults``)."""

from __future__ import annotations

import argparse
from typing import Any

from iepimp.admin_commands import CLI_PRINCIPAL, fail
from kernel.clock import system_clock
from kernel.settings import Settings
from resolvers.reports.publish_results import publish_results


def audit_lines(audit: dict[str, Any]) -> list[str]:
    """The audit as a table: one line per grouping, then the solver's work."""
    lines = [
        f"{'grouping':<8} {'published':>9} {'primary':>8} {'complem.':>8} "
        f"{'narrowest':>9} {'full-range':>10} {'info loss':>10}"
    ]
    for name, g in audit["groupings"].items():
        narrowest = "-" if g["smallestIntervalWidth"] is None else g["smallestIntervalWidth"]
        loss = "-" if g["informationLoss"] is None else f"{g['informationLoss']} %"
        lines.append(
            f"{name:<8} {g['published']:>9} {g['primarySuppressed']:>8} "
            f"{g['complementarySuppressed']:>8} {narrowest!s:>9} {g['fullRangeCells']:>10} "
            f"{loss:>10}"
        )
    lines.append(f"{audit['lpSolves']} LP and {audit['milpSolves']} MILP solves")
    return lines


async def publish_command(args: argparse.Namespace, _: Settings) -> int:
    result = await publish_results(CLI_PRINCIPAL, args.cycle, system_clock(), args.dry_run)
    if result.errors:
        return fail("; ".join(f"{e.code.value}: {e.message}" for e in result.errors))
    assert result.audit is not None
    for line in audit_lines(result.audit):
        print(line)
    if args.dry_run:
        print(f"dry run: {args.cycle} not published")
    else:
        assert result.published_at is not None
        print(f"published {args.cycle} at {result.published_at.isoformat()}")
    return 0
