"""The disclosure audit of a snapshot, per grouping, for CDE to read before publishing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from models.reports.attacker import WIDTH, Cell
from models.reports.suppression import COUNTS, Kind, Suppression
from models.shared.enums import ReportGrouping
from models.worksheet.categories import percent_half_up


def audit(values: Mapping[Cell, int], result: Suppression) -> dict[str, Any]:
    """Per grouping: cells published, primary- and complementary-suppressed; the smallest
    certified attacker interval of a sensitive cell whose group has at least 11 students (the
    others are checked to span all of [0, U]); the share of students in suppressed cells."""
    groupings: dict[str, dict[str, Any]] = {}
    for grouping in ReportGrouping:
        cells = [c for c in values if c[0] == grouping.value]
        kinds = [result.kinds.get(c) for c in cells]
        widths = [
            w
            for c, w in result.widths.items()
            if c[0] == grouping.value and values[(c[0], c[1], "TOTAL")] >= WIDTH
        ]
        counted = [c for c in cells if c[2] in COUNTS]
        students = sum(values[c] for c in counted)
        hidden = sum(values[c] for c in counted if c in result.kinds)
        groupings[grouping.value] = {
            "published": kinds.count(None),
            "primarySuppressed": kinds.count(Kind.PRIMARY),
            "complementarySuppressed": kinds.count(Kind.COMPLEMENTARY),
            "smallestIntervalWidth": min(widths) if widths else None,
            "fullRangeCells": sum(
                1
                for c in result.widths
                if c[0] == grouping.value and values[(c[0], c[1], "TOTAL")] < WIDTH
            ),
            "suppressedStudents": hidden,
            "students": students,
            "informationLoss": percent_half_up(hidden, students),
        }
    return {
        "groupings": groupings,
        "lpSolves": result.solver.lp_solves,
        "milpSolves": result.solver.milp_solves,
        "rounds": result.rounds,
    }
