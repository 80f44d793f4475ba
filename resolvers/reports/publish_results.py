"""Publish a cycle's results: freeze the suppressed public snapshot (SPEC §3.8).

Publishing again replaces the snapshot with one computed from the data of that moment, held
against an attacker who also kept every earlier snapshot of the cycle; each publication is
audited (``results.published``, with ``republished`` true when it replaced one). A dry run
computes the same snapshot and answers its disclosure audit, storing nothing. Publications of
one cycle take turns on the cycle row, and each computes its figures after taking it, so
simultaneous ones all succeed and the last to finish holds the newest figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from kernel.errors import ErrorCode, UserErrorData, user_error
from models import Cycle, PublishedReport, Submission
from models.reports.public_snapshot import Publication, build_snapshot
from models.shared.enums import CycleStatus, ReportGrouping, SubmissionStatus
from resolvers.reports.aggregate import DEFAULT_STATUSES, aggregate
from resolvers.shared import audit_log, scope
from resolvers.shared.cycle_lock import locked_cycle
from resolvers.shared.principal import Principal


@dataclass(frozen=True)
class PublishResult:
    published_at: datetime | None = None
    audit: dict[str, Any] | None = None
    dry_run: bool = False
    errors: tuple[UserErrorData, ...] = ()


async def _approvals(cycle: Cycle, tx: BaseDBAsyncClient) -> dict[str, datetime | None]:
    """When each approved LEA's submission was approved (the date its data were obtained)."""
    rows = await (
        Submission.filter(cycle_id=cycle.id, status=SubmissionStatus.APPROVED)
        .using_db(tx)
        .values_list("lea__cds_code", "reviewed_at")
    )
    return {str(cds): at for cds, at in rows}


async def _publication(
    principal: Principal, cycle: Cycle, now: datetime, tx: BaseDBAsyncClient
) -> tuple[Publication, PublishedReport | None]:
    figures = await aggregate(principal, cycle, list(ReportGrouping), DEFAULT_STATUSES, using=tx)
    existing = await PublishedReport.filter(cycle_id=cycle.id).using_db(tx).first()
    history = (existing.history or []) if existing else []
    publication = build_snapshot(
        figures,
        now,
        [s.value for s in DEFAULT_STATUSES],
        cycle.due_at,
        await _approvals(cycle, tx),
        history,
    )
    return publication, existing


async def publish_results(
    principal: Principal, cycle_name: str, now: datetime, dry_run: bool = False
) -> PublishResult:
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
    if dry_run:
        async with in_transaction() as tx:
            publication, _ = await _publication(principal, cycle, now, tx)
        return PublishResult(audit=publication.audit, dry_run=True)
    async with in_transaction() as tx:
        await locked_cycle(tx, cycle.id)
        publication, existing = await _publication(principal, cycle, now, tx)
        stored = {
            "published_at": now,
            "snapshot": publication.snapshot,
            "audit": publication.audit,
            "history": publication.history,
        }
        if existing is not None:
            await PublishedReport.filter(id=existing.id).using_db(tx).update(**stored)
        else:
            await PublishedReport.create(cycle_id=cycle.id, using_db=tx, **stored)
        await audit_log.record(
            "results.published",
            now,
            principal=principal,
            cycle_id=cycle.id,
            target=cycle.name,
            detail={
                "republished": existing is not None,
                "groups": sum(len(r) for r in publication.snapshot["groupings"].values()),
            },
            using=tx,
        )
    return PublishResult(published_at=now, audit=publication.audit)
