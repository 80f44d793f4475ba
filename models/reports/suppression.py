"""Small-cell and complementary suppression of published counts, jointly across groupings
(SPEC §3.8).

A cell is one count of one group: ``(grouping, group key, measure)`` with measure A, B, C or
TOTAL. The published numbers are tied by linear equations: in every group A + B + C = TOTAL,
and, measure by measure, the LEAs sum to their county, to their SELPA and to the state.

- every count of ``THRESHOLD`` (10) or fewer is suppressed, 0 included;
- a group whose total is 10 or fewer is suppressed whole;
- then complementary cells are suppressed until no suppressed cell is *determined*: a cell
  is determined when its unit vector lies in the row space of the equations restricted to
  the suppressed cells (the published cells moved to the right-hand side), i.e. when every
  solution of the equations that agrees with the published numbers gives it the same value.
  The test is exact: Gauss-Jordan elimination over ``Fraction``.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from fractions import Fraction

from models.shared.enums import ReportGrouping

THRESHOLD = 10
MEASURES = ("A", "B", "C", "TOTAL")
STATE_KEY = "CA"

Cell = tuple[str, str, str]
Constraint = dict[Cell, int]
"""Coefficients of one homogeneous equation: the sum of coefficient * cell is 0."""


class Reason(StrEnum):
    SMALL_COUNT = "SMALL_COUNT"
    SMALL_GROUP = "SMALL_GROUP"
    COMPLEMENTARY = "COMPLEMENTARY"


def cell(grouping: ReportGrouping, key: str, measure: str) -> Cell:
    return (grouping.value, key, measure)


def build_constraints(leas: Iterable[tuple[str, str, str]]) -> list[Constraint]:
    """The equations over every group of the four groupings, from each LEA's
    ``(cds code, county code, SELPA code)``."""
    members: dict[tuple[ReportGrouping, str], list[str]] = defaultdict(list)
    lea_keys: list[str] = []
    for cds, county, selpa in leas:
        lea_keys.append(cds)
        members[(ReportGrouping.STATE, STATE_KEY)].append(cds)
        members[(ReportGrouping.COUNTY, county)].append(cds)
        members[(ReportGrouping.SELPA, selpa)].append(cds)
    groups = [*members, *((ReportGrouping.LEA, cds) for cds in lea_keys)]
    equations: list[Constraint] = []
    for grouping, key in groups:
        row = {cell(grouping, key, m): 1 for m in MEASURES[:3]}
        row[cell(grouping, key, "TOTAL")] = -1
        equations.append(row)
    for (grouping, key), cds_codes in members.items():
        for measure in MEASURES:
            parts: Constraint = {cell(ReportGrouping.LEA, cds, measure): 1 for cds in cds_codes}
            parts[cell(grouping, key, measure)] = -1
            equations.append(parts)
    return equations


def determined(constraints: Sequence[Mapping[Cell, int]], unknown: set[Cell]) -> set[Cell]:
    """The cells of ``unknown`` whose value the equations fix, the other cells being known."""
    index = {c: i for i, c in enumerate(sorted(unknown))}
    cells = sorted(unknown)
    rows: list[dict[int, Fraction]] = []
    for equation in constraints:
        row = {index[c]: Fraction(k) for c, k in equation.items() if c in index and k}
        if row:
            rows.append(row)
    holders: dict[int, set[int]] = defaultdict(set)
    for r, row in enumerate(rows):
        for col in row:
            holders[col].add(r)
    queue = [(len(row), r) for r, row in enumerate(rows)]
    heapq.heapify(queue)
    pivots: list[int] = []
    done: set[int] = set()
    while queue:
        length, r = heapq.heappop(queue)
        if r in done:
            continue
        row = rows[r]
        if length != len(row):
            heapq.heappush(queue, (len(row), r))
            continue
        done.add(r)
        if not row:
            continue
        pivot = min(row, key=lambda col: (len(holders[col]), col))
        scale = row[pivot]
        if scale != 1:
            for col in row:
                row[col] /= scale
        for other in list(holders[pivot]):
            if other != r:
                _eliminate(rows[other], other, row, pivot, holders)
        pivots.append(r)
    return {cells[next(iter(rows[r]))] for r in pivots if len(rows[r]) == 1}


def _eliminate(
    target: dict[int, Fraction],
    target_id: int,
    pivot_row: dict[int, Fraction],
    pivot: int,
    holders: dict[int, set[int]],
) -> None:
    factor = target[pivot]
    for col, value in pivot_row.items():
        updated = target.get(col, 0) - factor * value
        if updated:
            if col not in target:
                holders[col].add(target_id)
            target[col] = updated
        elif col in target:
            del target[col]
            holders[col].discard(target_id)


def suppress(
    values: Mapping[Cell, int],
    constraints: Sequence[Mapping[Cell, int]],
    threshold: int = THRESHOLD,
) -> dict[Cell, Reason]:
    """Every suppressed cell with its reason; the other cells of ``values`` may be published."""
    reasons: dict[Cell, Reason] = {}
    for (grouping, key, measure), value in values.items():
        if measure == "TOTAL" and value <= threshold:
            for m in MEASURES:
                reasons[(grouping, key, m)] = Reason.SMALL_GROUP
    for c, value in values.items():
        if value <= threshold and c not in reasons:
            reasons[c] = Reason.SMALL_COUNT
    containing: dict[Cell, list[int]] = defaultdict(list)
    for i, equation in enumerate(constraints):
        for c in equation:
            containing[c].append(i)
    while exposed := determined(constraints, set(reasons)):
        added = _complements(sorted(exposed), values, constraints, containing, reasons)
        if not added:
            published = [c for c in values if c not in reasons]
            added = [min(published, key=lambda c: (values[c], c))]
        for c in added:
            reasons[c] = Reason.COMPLEMENTARY
    _republish(values, constraints, reasons)
    return reasons


_LEVEL = {"STATE": 0, "COUNTY": 1, "SELPA": 1, "LEA": 2}
PRUNE_LIMIT = 64
"""How many complementary summary cells are tried again for publication, widest first."""


def _republish(
    values: Mapping[Cell, int],
    constraints: Sequence[Mapping[Cell, int]],
    reasons: dict[Cell, Reason],
) -> None:
    """The greedy pass can hide more than needed: give back complementary state, county and
    SELPA cells (largest first) whose publication leaves every suppressed cell undetermined."""
    candidates = sorted(
        (c for c, r in reasons.items() if r is Reason.COMPLEMENTARY and c[0] != "LEA"),
        key=lambda c: (_LEVEL[c[0]], -values[c], c),
    )
    for c in candidates[:PRUNE_LIMIT]:
        del reasons[c]
        if determined(constraints, set(reasons)):
            reasons[c] = Reason.COMPLEMENTARY


def _complements(
    exposed: list[Cell],
    values: Mapping[Cell, int],
    constraints: Sequence[Mapping[Cell, int]],
    containing: Mapping[Cell, list[int]],
    reasons: Mapping[Cell, Reason],
) -> list[Cell]:
    """For each exposed cell, the smallest published cell of its most exposed equation (the
    one with the fewest suppressed cells); an equation already given one this round is left."""
    chosen: list[Cell] = []
    touched: set[int] = set()
    for c in exposed:
        candidates = []
        for i in containing.get(c, []):
            open_cells = [x for x in constraints[i] if x not in reasons and x not in chosen]
            if open_cells:
                hidden = len(constraints[i]) - len(open_cells)
                candidates.append((hidden, i, open_cells))
        if not candidates or any(i in touched for _, i, _ in candidates):
            continue
        _, i, open_cells = min(candidates, key=lambda t: (t[0], t[1]))
        chosen.append(min(open_cells, key=lambda x: (values[x], x)))
        touched.add(i)
    return chosen
