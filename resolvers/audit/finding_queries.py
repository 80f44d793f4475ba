"""The audited LEAs of a cycle with their status and outcome, and the audit summary (CDE)."""

from __future__ import annotations

from models import AuditSelection
from models.audit.findings import AuditSummary, Counts, summarize
from models.shared.enums import AuditOutcome
from resolvers.directory import queries as directory_queries
from resolvers.shared.principal import Principal


async def audit_findings(principal: Principal, cycle_name: str) -> list[AuditSelection]:
    """The cycle's drawn LEAs in rank order; an unknown cycle gives none."""
    cycle = await directory_queries.find_cycle(principal, cycle_name)
    if cycle is None:
        return []
    return await AuditSelection.filter(cycle=cycle).order_by("rank").select_related("lea")


def _counts(a: int | None, b: int | None, c: int | None) -> Counts | None:
    return None if a is None or b is None or c is None else (a, b, c)


async def audit_summary(principal: Principal, cycle_name: str) -> AuditSummary | None:
    rows = await audit_findings(principal, cycle_name)
    if not rows:
        return None
    findings: list[tuple[AuditOutcome, Counts | None, Counts | None]] = [
        (
            row.outcome,
            _counts(row.certified_a, row.certified_b, row.certified_c),
            _counts(row.verified_a, row.verified_b, row.verified_c),
        )
        for row in rows
        if row.outcome is not None
    ]
    return summarize(len(rows), findings)
