"""Publish a cycle's results: freeze the suppressed public snapshot (SPEC §3.8).

Publishing again replaces the snapshot with one computed from the data of that moment; each
publication is audited (``results.published``, with ``republished`` true when it replaced one).
Publications of one cycle take turns on the cycle row, and each computes its figures after
taking it, so simultaneous ones all succeed and the last to finish holds the newest figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from kernel.errors import ErrorCode, UserErrorData, user_error
from models import PublishedReport
from models.reports.public_snapshot import build_snapshot
from models.shared.enums import CycleStatus, ReportGrouping
from resolvers.reports.aggregate import DEFAULT_STATUSES, aggregate
from resolvers.shared import audit_log, scope
from resolvers.shared.cycle_lock import locked_cycle
from resolvers.shared.principal import Principal


@dataclass(frozen=True)
class PublishResult:
    published_at: datetime | None = None
    errors: tuple[UserErrorData, ...] = ()


async def publish_results(principal: Principal, cycle_name: str, now: datetime) -> PublishResult:
    cycle = await scope.cycles(principal).filter(name=cycle_name).first()
    if cycle is None:
        return PublishResult(
            errors=(user_error(ErrorCode.NOT_FOUND, f"No cycle {cycle_name}.", "cycle"),)
        )
    if cycle.status is CycleStatus.DRAFT:
        return PublishResult(
            errors=(
                user_error(
                    ErrorCode.INVALID_STATE,
                    "A DRAFT cycle has no results to publish.",
                    "cycle",
                ),
            )
        )
    async with in_transaction() as tx:
        await locked_cycle(tx, cycle.id)
        figures = await aggregate(
            principal, cycle, list(ReportGrouping), DEFAULT_STATUSES, using=tx
        )
        snapshot = build_snapshot(figures, now, [s.value for s in DEFAULT_STATUSES])
        replaced = (
            await PublishedReport.filter(cycle_id=cycle.id)
            .using_db(tx)
            .update(published_at=now, snapshot=snapshot)
        )
        if not replaced:
            await PublishedReport.create(
                cycle_id=cycle.id, published_at=now, snapshot=snapshot, using_db=tx
            )
        await audit_log.record(
            "results.published",
            now,
            principal=principal,
            cycle_id=cycle.id,
            target=cycle.name,
            detail={"republished": bool(replaced), "groups": len(figures)},
            using=tx,
        )
    return PublishResult(published_at=now)
