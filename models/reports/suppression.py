"""Cell suppression with protection intervals, jointly across the four groupings (SPEC §3.8).

A cell is one count of one group: ``(grouping, group key, measure)`` with measure A, B, C or
TOTAL. The attacker it must hold against is described in ``models.reports.attacker``: it knows
every total (from the sample sizes), every published count, the hierarchy and that counts are
non-negative whole numbers.

- sensitive (primary) cells: every count of 10 or fewer, 0 included, and every count of a
  group of 10 or fewer students; such a group's total is withheld with it;
- complementary cells are then added, a few at a time, until every sensitive cell's attacker
  interval is at least 11 wide (or all of [0, U] when its group's total U is under 11). Adding a
  suppression only widens intervals, so a cell that passed is never tested again.

Complements are chosen per failing cell from the equation holding it tightest (the one with the
fewest hidden cells): its smallest published cell. When every equation of a cell failing a
second round running is hidden already and few cells fail, the complement is the smallest
published cell of the nearest equations that still have one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from models.reports.attacker import Cell, Equation, Solver, check
from models.shared.enums import ReportGrouping

THRESHOLD = 10
MEASURES = ("A", "B", "C", "TOTAL")
COUNTS = MEASURES[:3]
STATE_KEY = "CA"
MAX_ROUNDS = 1000
_SHARED_BELOW = 0
_NEAREST_BELOW = 80
"""Failing cells at most, for a complement to be sought beyond the cell's own equations."""


class Reason(StrEnum):
    """The one public marker of a withheld value: it says nothing about its size."""

    SUPPRESSED = "SUPPRESSED"


class Kind(StrEnum):
    """Why a cell is withheld, for the disclosure audit (never published per cell)."""

    PRIMARY = "PRIMARY"
    COMPLEMENTARY = "COMPLEMENTARY"


def cell(grouping: ReportGrouping, key: str, measure: str) -> Cell:
    return (grouping.value, key, measure)


def build_constraints(leas: Iterable[tuple[str, str, str]]) -> list[Equation]:
    """The equations over every group of the four groupings, from each reported LEA's
    ``(cds code, county code, SELPA code)``: A + B + C = TOTAL in every group; measure by
    measure, a county's and a SELPA's LEAs sum to it, and the counties and the SELPAs each sum
    to the state."""
    counties: dict[str, list[str]] = defaultdict(list)
    selpas: dict[str, list[str]] = defaultdict(list)
    lea_keys: list[str] = []
    for cds, county, selpa in leas:
        lea_keys.append(cds)
        counties[county].append(cds)
        selpas[selpa].append(cds)
    groups = [
        (ReportGrouping.STATE, STATE_KEY),
        *((ReportGrouping.COUNTY, k) for k in counties),
        *((ReportGrouping.SELPA, k) for k in selpas),
        *((ReportGrouping.LEA, k) for k in lea_keys),
    ]
    equations: list[Equation] = []
    for grouping, key in groups:
        row = {cell(grouping, key, m): 1 for m in COUNTS}
        row[cell(grouping, key, "TOTAL")] = -1
        equations.append(row)
    for measure in MEASURES:
        for grouping, members in (
            (ReportGrouping.COUNTY, counties),
            (ReportGrouping.SELPA, selpas),
        ):
            for key, cds_codes in members.items():
                parts = {cell(ReportGrouping.LEA, cds, measure): 1 for cds in cds_codes}
                parts[cell(grouping, key, measure)] = -1
                equations.append(parts)
            state: Equation = {cell(grouping, key, measure): 1 for key in members}
            state[cell(ReportGrouping.STATE, STATE_KEY, measure)] = -1
            equations.append(state)
    return equations


def sensitive_cells(values: Mapping[Cell, int], threshold: int = THRESHOLD) -> set[Cell]:
    """Counts of ``threshold`` or fewer, and every count of a group of that few students."""
    found: set[Cell] = set()
    for (grouping, key, measure), value in values.items():
        if measure == "TOTAL":
            if value <= threshold:
                found.update((grouping, key, m) for m in COUNTS)
        elif value <= threshold:
            found.add((grouping, key, measure))
    return found


@dataclass
class Suppression:
    """The withheld cells with their kind, the certified interval width of each sensitive cell,
    and the solver's work."""

    kinds: dict[Cell, Kind]
    widths: dict[Cell, int]
    solver: Solver = field(default_factory=Solver)
    rounds: int = 0


def suppress(
    values: Mapping[Cell, int],
    constraints: Sequence[Equation],
    earlier: tuple[Mapping[Cell, int], Mapping[Cell, int]] | None = None,
    threshold: int = THRESHOLD,
) -> Suppression:
    """Withhold cells of ``values`` until every sensitive one is protected. ``earlier`` is
    what an earlier snapshot of the cycle taught the attacker: the true values of its own
    cells (named apart from this snapshot's where they may differ; the ``constraints`` tie
    them) and, of those, the ones it knows."""
    earlier_values, known_before = earlier or ({}, {})
    sensitive = sensitive_cells(values, threshold)
    kinds: dict[Cell, Kind] = {c: Kind.PRIMARY for c in sensitive}
    for (grouping, key, measure), value in values.items():
        if measure == "TOTAL" and value <= threshold:
            kinds[(grouping, key, measure)] = Kind.PRIMARY
    result = Suppression(kinds=kinds, widths={})
    containing: dict[Cell, list[int]] = defaultdict(list)
    for i, equation in enumerate(constraints):
        for c in equation:
            if c[2] != "TOTAL":
                containing[c].append(i)
    all_values = {**earlier_values, **values}
    pending = set(sensitive)
    previous: set[Cell] = set()
    while pending:
        result.rounds += 1
        if result.rounds > MAX_ROUNDS:
            raise RuntimeError("suppression did not converge")
        known = {c: v for c, v in values.items() if c not in kinds or c[2] == "TOTAL"}
        known.update(known_before)
        outcome = check(constraints, all_values, known, pending, result.solver, result.rounds)
        result.widths.update(outcome.widths)
        stubborn = previous & outcome.failing
        previous = pending = set(outcome.failing)
        if pending:
            _complements(
                sorted(pending), stubborn, values, constraints, containing, kinds, known_before
            )
    return result


def _open(
    c: Cell, values: Mapping[Cell, int], kinds: Mapping[Cell, Kind], fixed: Mapping[Cell, int]
) -> bool:
    return c in values and c[2] != "TOTAL" and c not in kinds and c not in fixed


def _complements(
    failing: list[Cell],
    stubborn: set[Cell],
    values: Mapping[Cell, int],
    constraints: Sequence[Equation],
    containing: Mapping[Cell, list[int]],
    kinds: dict[Cell, Kind],
    fixed: Mapping[Cell, int],
) -> None:
    """For each failing cell, the smallest published cell of its tightest equation (the one
    with the fewest hidden cells); an equation already given one this round is left."""
    touched: set[int] = set()
    added = 0
    for c in failing:
        candidates = []
        for i in containing.get(c, []):
            open_cells = [x for x in constraints[i] if _open(x, values, kinds, fixed)]
            if open_cells:
                hidden = sum(1 for x in constraints[i] if x in kinds and x[2] != "TOTAL")
                candidates.append((hidden, i, open_cells))
        if not candidates:
            nearest = None
            if c in stubborn and len(failing) <= _NEAREST_BELOW:
                nearest = _nearest(c, values, constraints, containing, kinds, fixed)
            if nearest is not None:
                kinds[nearest] = Kind.COMPLEMENTARY
                added += 1
            continue
        _, i, open_cells = min(candidates, key=lambda t: (t[0], t[1]))
        if i in touched:
            continue
        chosen = min(open_cells, key=lambda x: (values[x], x))
        kinds[chosen] = Kind.COMPLEMENTARY
        if len(failing) <= _SHARED_BELOW:
            touched.add(i)
        added += 1
    if added:
        return
    for c in failing:
        nearest = _nearest(c, values, constraints, containing, kinds, fixed)
        if nearest is not None:
            kinds[nearest] = Kind.COMPLEMENTARY
            return
    raise RuntimeError("a sensitive cell cannot be protected")


def _nearest(
    start: Cell,
    values: Mapping[Cell, int],
    constraints: Sequence[Equation],
    containing: Mapping[Cell, list[int]],
    kinds: Mapping[Cell, Kind],
    fixed: Mapping[Cell, int],
) -> Cell | None:
    """The smallest published cell of the nearest equations that still have one, going out
    from ``start`` through equations of hidden cells only."""
    seen_cells = {start}
    seen_rows: set[int] = set()
    frontier = [start]
    while frontier:
        rows = sorted({i for c in frontier for i in containing.get(c, [])} - seen_rows)
        seen_rows.update(rows)
        open_cells = [x for i in rows for x in constraints[i] if _open(x, values, kinds, fixed)]
        if open_cells:
            return min(open_cells, key=lambda x: (values[x], x))
        frontier = [
            x for i in rows for x in constraints[i] if x not in seen_cells and x[2] != "TOTAL"
        ]
        seen_cells.update(frontier)
    return None
