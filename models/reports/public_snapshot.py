"""The public snapshot of a cycle's results: counts and percentages only, suppressed jointly
across the four groupings (SPEC §3.8). Pure: figures in, a JSON-ready dict out.

An LEA row is ``REPORTED`` (its counts are in the figures), ``EXEMPT`` (not required: no
students) or ``NOT_REPORTED`` (required, without a submission in the published statuses); only
reported rows carry counts, and the others are known zeros to the attacker."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from models.reports import earlier
from models.reports.attacker import Cell
from models.reports.disclosure_audit import audit
from models.reports.figures import GroupFigures
from models.reports.suppression import MEASURES, Reason, Suppression, build_constraints, suppress
from models.shared.enums import ReportGrouping
from models.worksheet.categories import percent_half_up

SNAPSHOT_VERSION = 2
REPORTED, EXEMPT, NOT_REPORTED = "REPORTED", "EXEMPT", "NOT_REPORTED"


@dataclass(frozen=True)
class Publication:
    """The public snapshot, its disclosure audit, and the private record of what it taught the
    attacker (every earlier publication's and its own)."""

    snapshot: dict[str, Any]
    audit: dict[str, Any]
    history: list[dict[str, Any]]


def lea_status(row: GroupFigures, statuses: Sequence[str]) -> str:
    if row.exempt:
        return EXEMPT
    if any(getattr(row, status.lower()) for status in statuses):
        return REPORTED
    return NOT_REPORTED


def _values(figures: Sequence[GroupFigures], statuses: Sequence[str]) -> dict[Cell, int]:
    values: dict[Cell, int] = {}
    for row in figures:
        if row.grouping is ReportGrouping.LEA and lea_status(row, statuses) != REPORTED:
            continue
        counts = (row.count_a, row.count_b, row.count_c, row.total)
        for measure, value in zip(MEASURES, counts, strict=True):
            values[(row.grouping.value, row.key, measure)] = value
    return values


def _cells(row: GroupFigures, values: Mapping[Cell, int], hidden: Mapping[Cell, Any]) -> Any:
    total_hidden = (row.grouping.value, row.key, "TOTAL") in hidden
    cells: dict[str, dict[str, Any]] = {}
    for measure in MEASURES:
        c = (row.grouping.value, row.key, measure)
        if c not in values:
            cells[measure] = {
                "value": None, "suppressed": False, "reason": None,
                "percent": None, "percentReason": None,
            }  # fmt: skip
            continue
        withheld = c in hidden
        percent_withheld = measure != "TOTAL" and (withheld or total_hidden)
        percent = None
        if measure != "TOTAL" and not percent_withheld:
            percent = percent_half_up(values[c], row.total)
        cells[measure] = {
            "value": None if withheld else values[c],
            "suppressed": withheld,
            "reason": Reason.SUPPRESSED.value if withheld else None,
            "percent": percent,
            "percentReason": Reason.SUPPRESSED.value if percent_withheld else None,
        }
    return cells, total_hidden


def _public_row(
    row: GroupFigures,
    values: Mapping[Cell, int],
    result: Suppression,
    statuses: Sequence[str],
    approvals: Mapping[str, datetime | None],
) -> dict[str, Any]:
    cells, whole = _cells(row, values, result.kinds)
    lea = row.grouping is ReportGrouping.LEA
    status = lea_status(row, statuses) if lea else None
    approved = approvals.get(row.key) if lea and status == REPORTED else None
    return {
        "key": row.key,
        "label": row.label,
        "county": row.county,
        "selpaCode": row.selpa_code,
        "status": status,
        "approvedAt": approved.isoformat() if approved else None,
        "exemptLeas": row.exempt,
        "suppressed": whole,
        "reason": Reason.SUPPRESSED.value if whole else None,
        "cells": cells,
    }


def build_snapshot(
    figures: Sequence[GroupFigures],
    published_at: datetime,
    statuses: Sequence[str],
    due_at: datetime,
    approvals: Mapping[str, datetime | None],
    history: Sequence[Mapping[str, Any]] = (),
) -> Publication:
    """Every grouping's rows with suppressed cells as ``value: null`` and one marker, never 0;
    exempt and unreported LEAs as such, without counts."""
    values = _values(figures, statuses)
    reported = {
        row.key: (row.key[:2], row.selpa_code or "", row.count_a, row.count_b, row.count_c)
        for row in figures
        if row.grouping is ReportGrouping.LEA and (row.grouping.value, row.key, "A") in values
    }
    constraints = build_constraints((cds, f[0], f[1]) for cds, f in reported.items())
    past_equations, past_values, past_known = earlier.knowledge(history, reported)
    result = suppress(values, constraints + past_equations, (past_values, past_known))
    groupings: dict[str, list[dict[str, Any]]] = {g.value: [] for g in ReportGrouping}
    for row in figures:
        groupings[row.grouping.value].append(_public_row(row, values, result, statuses, approvals))
    for rows in groupings.values():
        rows.sort(key=lambda r: r["key"])
    snapshot = {
        "version": SNAPSHOT_VERSION,
        "publishedAt": published_at.isoformat(),
        "dueAt": due_at.isoformat(),
        "statuses": list(statuses),
        "groupings": groupings,
    }
    published = [c for c in values if c not in result.kinds]
    own = earlier.record(reported, published)
    return Publication(snapshot, audit(values, result), [*(dict(h) for h in history), own])
