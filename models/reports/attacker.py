"""The attacker of a published snapshot, and the intervals it can compute (SPEC §3.8).

The attacker model. Whoever reads a snapshot knows:

- every number published in all four groupings (state, county, SELPA, LEA): counts, totals and
  shares (a share with its total gives the count back, so shares add nothing beyond counts);
- the hierarchy: each LEA's county and SELPA, and that every group's A, B, C and total are the
  sums of its LEAs' (so the state is the sum of the counties and of the SELPAs);
- that counts are non-negative whole numbers and that a group's A + B + C equals its total;
- which LEAs are exempt or not reported, and that those contribute no students;
- each reported LEA's sample size, public from the band table once its population is, and that
  an approved LEA's total equals it: every total, of every group, is known to the attacker;
- earlier snapshots of the same cycle (their published counts, and which LEAs have changed).

For a cell it does not see, the attacker's interval is [lo, hi]: the minimum and maximum of
that cell over every non-negative whole-number table consistent with all of the above. A
sensitive cell is protected when ``hi - lo >= 11``, or, when its group's total U is under 11,
when its interval is all of [0, U].

Intervals are computed with HiGHS (``scipy.optimize``), one connected part of the system at a
time. A cell passes on *integer witnesses*: whole-number tables that satisfy every constraint
(an LP vertex that happens to be integral, or a ``milp`` optimum), so a pass is exact. A cell
fails when even the LP relaxation (an outer bound) is too narrow; between the two, ``milp``
decides.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_array

from models.reports.certification import check_part
from models.reports.lp_part import WIDTH, Cell, Equation, Part, Solver, protected

__all__ = ["WIDTH", "Cell", "Check", "Equation", "Solver", "check", "protected"]


def _parts(
    equations: Sequence[Equation], known: Mapping[Cell, int], values: Mapping[Cell, int]
) -> tuple[list[list[Cell]], list[tuple[dict[Cell, int], int]]]:
    """Connected parts of the unknown cells, and each equation reduced to its unknowns."""
    reduced: list[tuple[dict[Cell, int], int]] = []
    parent: dict[Cell, Cell] = {}

    def find(c: Cell) -> Cell:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for equation in equations:
        unknown = {c: k for c, k in equation.items() if c not in known}
        if not unknown:
            continue
        rhs = -sum(k * known[c] for c, k in equation.items() if c in known)
        reduced.append((unknown, rhs))
        cells = list(unknown)
        for c in cells:
            parent.setdefault(c, c)
        root = find(cells[0])
        for c in cells[1:]:
            other = find(c)
            if other != root:
                parent[other] = root
    groups: dict[Cell, list[Cell]] = defaultdict(list)
    for c in values:
        if c not in known:
            parent.setdefault(c, c)
            groups[find(c)].append(c)
    return [sorted(g) for g in groups.values()], reduced


def _build(
    cells: list[Cell],
    reduced: Iterable[tuple[dict[Cell, int], int]],
    values: Mapping[Cell, int],
    upper: Mapping[Cell, int],
) -> Part:
    index = {c: i for i, c in enumerate(cells)}
    rows: list[int] = []
    cols: list[int] = []
    data: list[int] = []
    rhs: list[int] = []
    for unknown, b in reduced:
        first = next(iter(unknown))
        if first not in index:
            continue
        r = len(rhs)
        for c, k in unknown.items():
            rows.append(r)
            cols.append(index[c])
            data.append(k)
        rhs.append(b)
    matrix = csr_array((data, (rows, cols)), shape=(len(rhs), len(cells)), dtype=float)
    return Part(
        cells=cells,
        matrix=matrix,
        rhs=np.array(rhs, dtype=float),
        upper=np.array([upper[c] for c in cells], dtype=float),
        truth=np.array([values[c] for c in cells], dtype=float),
    )


@dataclass(frozen=True)
class Check:
    """Which sensitive cells the attacker narrows too much, and the certified widths of the
    others (each at least as wide as measured: the ends are whole-number solutions)."""

    failing: frozenset[Cell]
    widths: dict[Cell, int]


def check(
    equations: Sequence[Equation],
    values: Mapping[Cell, int],
    known: Mapping[Cell, int],
    sensitive: Iterable[Cell],
    solver: Solver,
    seed: int = 0,
) -> Check:
    """Test every cell of ``sensitive`` against the attacker who knows the cells of ``known``
    and the ``equations``. ``values`` holds every cell's true value (with a ``TOTAL`` per
    group, the bound of its cells): one solution the attacker cannot tell from the others."""
    rng = random.Random(seed)  # noqa: S311 - objective weights, not secrets
    wanted = set(sensitive)
    groups, reduced = _parts(equations, known, values)
    part_of = {c: n for n, cells in enumerate(groups) for c in cells}
    per_part: dict[int, list[tuple[dict[Cell, int], int]]] = defaultdict(list)
    for unknown, rhs in reduced:
        per_part[part_of[next(iter(unknown))]].append((unknown, rhs))
    failing: set[Cell] = set()
    widths: dict[Cell, int] = {}
    for n, cells in enumerate(groups):
        targets = [c for c in cells if c in wanted]
        if not targets:
            continue
        part = _build(cells, per_part[n], values, {c: _total(c, values) for c in cells})
        index = {c: i for i, c in enumerate(cells)}
        positions = [index[c] for c in targets]
        totals = [_total(c, values) for c in targets]
        bad = check_part(part, positions, totals, solver, rng)
        for j, c in enumerate(targets):
            if j in bad:
                failing.add(c)
            else:
                widths[c] = int(part.hi[positions[j]] - part.lo[positions[j]])
    return Check(failing=frozenset(failing), widths=widths)


def _total(c: Cell, values: Mapping[Cell, int]) -> int:
    return values[(c[0], c[1], "TOTAL")]
