"""The public snapshot of a cycle's results: counts and percentages only, suppressed jointly
across the four groupings (SPEC §3.8). Pure: figures in, a JSON-ready dict out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from models.reports.figures import GroupFigures
from models.reports.suppression import MEASURES, Cell, Reason, build_constraints, suppress
from models.shared.enums import ReportGrouping
from models.worksheet.categories import percent_half_up

SNAPSHOT_VERSION = 1


def _values(figures: Sequence[GroupFigures]) -> dict[Cell, int]:
    values: dict[Cell, int] = {}
    for row in figures:
        counts = (row.count_a, row.count_b, row.count_c, row.total)
        for measure, value in zip(MEASURES, counts, strict=True):
            values[(row.grouping.value, row.key, measure)] = value
    return values


def _public_row(
    row: GroupFigures, values: dict[Cell, int], reasons: dict[Cell, Reason]
) -> dict[str, Any]:
    def cell_of(measure: str) -> Cell:
        return (row.grouping.value, row.key, measure)

    total_reason = reasons.get(cell_of("TOTAL"))
    cells: dict[str, dict[str, Any]] = {}
    for measure in MEASURES:
        reason = reasons.get(cell_of(measure))
        value = values[cell_of(measure)]
        percent, percent_reason = None, None
        if measure != "TOTAL":
            percent_reason = reason or total_reason
            if percent_reason is None:
                percent = percent_half_up(value, row.total)
        cells[measure] = {
            "value": None if reason else value,
            "suppressed": reason is not None,
            "reason": reason.value if reason else None,
            "percent": percent,
            "percentReason": percent_reason.value if percent_reason else None,
        }
    whole = total_reason is Reason.SMALL_GROUP
    return {
        "key": row.key,
        "label": row.label,
        "county": row.county,
        "selpaCode": row.selpa_code,
        "suppressed": whole,
        "reason": Reason.SMALL_GROUP.value if whole else None,
        "cells": cells,
    }


def build_snapshot(
    figures: Sequence[GroupFigures], published_at: datetime, statuses: Sequence[str]
) -> dict[str, Any]:
    """Every grouping's rows with suppressed cells as ``value: null`` and a reason, never 0."""
    leas = [
        (row.key, row.key[:2], row.selpa_code or "")
        for row in figures
        if row.grouping is ReportGrouping.LEA
    ]
    values = _values(figures)
    reasons = suppress(values, build_constraints(leas))
    groupings: dict[str, list[dict[str, Any]]] = {g.value: [] for g in ReportGrouping}
    for row in figures:
        groupings[row.grouping.value].append(_public_row(row, values, reasons))
    for rows in groupings.values():
        rows.sort(key=lambda r: r["key"])
    return {
        "version": SNAPSHOT_VERSION,
        "publishedAt": published_at.isoformat(),
        "statuses": list(statuses),
        "groupings": groupings,
    }
