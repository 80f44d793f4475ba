"""An attacker of published snapshots, written apart from ``models.reports``.

It reads a snapshot's rows and is told each reported LEA's sample size (public from the band
table), which an approved LEA's total equals. Its unknowns are the A, B and C of every reported
LEA; a county, SELPA or the state is the sum of its reported LEAs. Every published count is an
equation; exempt and unreported LEAs contribute nothing. For each withheld cell it computes the
minimum and maximum over all non-negative whole-number solutions: ``linprog`` (HiGHS), and
``milp`` when the LP optimum is not a whole number.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

COUNTS = ("A", "B", "C")
Cell = tuple[str, str, str]


def _members(snapshot: dict[str, Any]) -> dict[tuple[str, str], list[str]]:
    members: dict[tuple[str, str], list[str]] = {}
    for row in snapshot["groupings"]["LEA"]:
        if row["status"] != "REPORTED":
            continue
        cds = row["key"]
        for group in (("STATE", "CA"), ("COUNTY", row["county"]), ("SELPA", row["selpaCode"])):
            members.setdefault(group, []).append(cds)
        members[("LEA", cds)] = [cds]
    return members


def intervals(
    snapshot: dict[str, Any], sample_sizes: Mapping[str, int]
) -> dict[Cell, tuple[int, int]]:
    """Every withheld A, B or C cell → its [min, max] for the attacker."""
    members = _members(snapshot)
    leas = sorted(cds for (g, cds) in members if g == "LEA")
    column = {(cds, m): i for i, (cds, m) in enumerate((c, m) for c in leas for m in COUNTS)}
    upper = np.array([sample_sizes[cds] for cds in leas for _ in COUNTS], dtype=float)
    rows: list[np.ndarray] = []
    rhs: list[float] = []
    for cds in leas:
        row = np.zeros(len(column))
        for m in COUNTS:
            row[column[(cds, m)]] = 1
        rows.append(row)
        rhs.append(sample_sizes[cds])
    hidden: dict[Cell, np.ndarray] = {}
    for grouping, group_rows in snapshot["groupings"].items():
        for published in group_rows:
            key = published["key"]
            if (grouping, key) not in members:
                continue
            for m in COUNTS:
                row = np.zeros(len(column))
                for cds in members[(grouping, key)]:
                    row[column[(cds, m)]] = 1
                value = published["cells"][m]["value"]
                if value is None:
                    hidden[(grouping, key, m)] = row
                else:
                    rows.append(row)
                    rhs.append(value)
    a_eq = np.array(rows) if rows else None
    b_eq = np.array(rhs) if rows else None
    found: dict[Cell, tuple[int, int]] = {}
    for c, objective in hidden.items():
        ends = []
        for sign in (1.0, -1.0):
            result = linprog(
                sign * objective,
                A_eq=a_eq,
                b_eq=b_eq,
                bounds=np.column_stack([np.zeros(len(column)), upper]),
                method="highs",
            )
            assert result.status == 0, result.message
            value = sign * result.fun
            if abs(value - round(value)) > 1e-7 or np.any(
                np.abs(result.x - np.round(result.x)) > 1e-7
            ):
                exact = milp(
                    sign * objective,
                    integrality=np.ones(len(column)),
                    bounds=Bounds(np.zeros(len(column)), upper),
                    constraints=[LinearConstraint(a_eq, b_eq, b_eq)] if rows else [],
                )
                assert exact.status == 0, exact.message
                value = sign * exact.fun
            ends.append(round(value))
        found[c] = (ends[0], ends[1])
    return found


def group_totals(
    snapshot: dict[str, Any], sample_sizes: Mapping[str, int]
) -> dict[tuple[str, str], int]:
    """Each group's total as the attacker knows it: the sum of its LEAs' sample sizes."""
    return {
        group: sum(sample_sizes[cds] for cds in cds_codes)
        for group, cds_codes in _members(snapshot).items()
    }


def unprotected(
    snapshot: dict[str, Any], sample_sizes: Mapping[str, int], sensitive: set[Cell]
) -> dict[Cell, tuple[int, int]]:
    """Sensitive cells that are published, or whose interval is under 11 wide without being
    all of [0, U] for a group total U under 11."""
    found = intervals(snapshot, sample_sizes)
    totals = group_totals(snapshot, sample_sizes)
    bad: dict[Cell, tuple[int, int]] = {}
    for c in sensitive:
        total = totals.get((c[0], c[1]), 0)
        if c not in found and total:
            bad[c] = (-1, -1)
            continue
        lo, hi = found.get(c, (0, 0))
        ok = (lo == 0 and hi == total) if total < 11 else hi - lo >= 11
        if not ok:
            bad[c] = (lo, hi)
    return bad
