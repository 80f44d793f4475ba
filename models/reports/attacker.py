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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_array

WIDTH = 11
"""The narrowest interval a sensitive cell may have."""

Cell = tuple[str, str, str]
Equation = dict[Cell, int]
"""A homogeneous linear equation over cells: the sum of coefficient * cell is 0."""

_EPS = 1e-7
_BATCH_ROUNDS = 30
_BATCH_GAIN = 15
"""Fewest cells a round of whole-part pushes must certify for another to be tried first."""
_WHOLE_LIMIT = 40
"""When no more of a part's cells than this are left uncertified by the local systems and the
batched whole-part pushes, each is tried alone in the whole part: its LP bounds, and ``milp``
where the LP optimum is not a whole-number solution."""
_NEIGHBOURS = 400
"""Unknowns of the local system a cell is certified in; the others stay at their true values,
so a local whole-number solution is one of the whole system."""
_WHOLE_BATCHES = 40
"""Rounds of whole-part pushes for the cells the local systems left, while any certifies."""


def _whole(part: _Part, i: int, solver: Solver) -> None:
    for sign in (1.0, -1.0):
        objective = np.zeros(len(part.cells))
        objective[i] = sign
        _, x = _lp(part, objective, solver)
        if not part.absorb(x):
            part.absorb(_milp(part, objective, solver))


def _neighbourhood(i: int, columns: csr_array, rows: csr_array) -> np.ndarray:
    """Unknowns within two equations of unknown ``i``, at most ``_NEIGHBOURS``."""
    found = {i}
    frontier = [i]
    for _ in range(2):
        nxt = []
        for v in frontier:
            for r in columns.indices[columns.indptr[v] : columns.indptr[v + 1]]:
                for u in rows.indices[rows.indptr[r] : rows.indptr[r + 1]]:
                    if u not in found and len(found) < _NEIGHBOURS:
                        found.add(int(u))
                        nxt.append(int(u))
        frontier = nxt
    return np.array(sorted(found))


def _local_lp(part: _Part, local: np.ndarray, i: int, sign: float, solver: Solver) -> np.ndarray:
    """Push unknown ``i`` down (sign 1) or up (-1) moving only ``local``; the whole solution."""
    solver.lp_solves += 1
    inside = np.zeros(len(part.cells), dtype=bool)
    inside[local] = True
    sub = part.matrix[:, local]
    rest = part.matrix[:, ~inside] @ part.truth[~inside]
    touched = np.flatnonzero(np.diff(sub.tocsr().indptr))
    objective = np.zeros(len(local))
    objective[int(np.searchsorted(local, i))] = sign
    result = linprog(
        objective,
        A_eq=sub[touched] if len(touched) else None,
        b_eq=(part.rhs - rest)[touched] if len(touched) else None,
        bounds=np.column_stack([np.zeros(len(local)), part.upper[local]]),
        method="highs",
    )
    x = part.truth.copy()
    if result.status == 0:
        x[local] = result.x
    return x


def _apart(
    pending: list[int], targets: list[int], columns: csr_array, rng: random.Random
) -> list[int]:
    """Pending cells no two of which share an equation, so one objective can push them all."""
    order = pending[:]
    rng.shuffle(order)
    used: set[int] = set()
    chosen = []
    for j in order:
        i = targets[j]
        rows = columns.indices[columns.indptr[i] : columns.indptr[i + 1]]
        if not used.intersection(rows.tolist()):
            used.update(rows.tolist())
            chosen.append(j)
    return chosen


_SWEEPS = 6


def _outer(part: _Part) -> tuple[np.ndarray, np.ndarray]:
    """An outer bound of every cell's interval by bound propagation, equation by equation
    (each whole-number solution lies inside it): a cell outside protection here fails."""
    lo = np.zeros(len(part.cells))
    hi = part.upper.copy()
    coo = part.matrix.tocoo()
    r, j, k = coo.row, coo.col, coo.data
    if not len(k):
        return lo, hi
    n_rows = part.matrix.shape[0]
    for _ in range(_SWEEPS):
        least = np.where(k > 0, k * lo[j], k * hi[j])
        most = np.where(k > 0, k * hi[j], k * lo[j])
        row_least = np.bincount(r, least, n_rows)
        row_most = np.bincount(r, most, n_rows)
        low = part.rhs[r] - (row_most[r] - most)
        high = part.rhs[r] - (row_least[r] - least)
        new_lo = np.where(k > 0, low / k, high / k)
        new_hi = np.where(k > 0, high / k, low / k)
        np.maximum.at(lo, j, np.ceil(new_lo - _EPS))
        np.minimum.at(hi, j, np.floor(new_hi + _EPS))
    return lo, hi


@dataclass
class Solver:
    """Counts the LP and MILP solves made."""

    lp_solves: int = 0
    milp_solves: int = 0


@dataclass
class _Part:
    """One connected part of the system: unknown cells and the equations among them."""

    cells: list[Cell]
    matrix: csr_array
    rhs: np.ndarray
    upper: np.ndarray
    truth: np.ndarray
    lo: np.ndarray = field(init=False)
    hi: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.lo = self.truth.copy()
        self.hi = self.truth.copy()

    def absorb(self, x: np.ndarray) -> bool:
        """Take ``x`` as a witness if it is a whole-number solution; widen every cell by it."""
        rounded = np.round(x)
        if np.max(np.abs(x - rounded), initial=0.0) > _EPS:
            return False
        if np.any(rounded < 0) or np.any(rounded > self.upper):
            return False
        if self.matrix.shape[0] and np.any(self.matrix @ rounded != self.rhs):
            return False
        self.lo = np.minimum(self.lo, rounded)
        self.hi = np.maximum(self.hi, rounded)
        return True


def protected(lo: float, hi: float, total: int) -> bool:
    if total < WIDTH:
        return lo <= 0 and hi >= total
    return hi - lo >= WIDTH


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
) -> _Part:
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
    return _Part(
        cells=cells,
        matrix=matrix,
        rhs=np.array(rhs, dtype=float),
        upper=np.array([upper[c] for c in cells], dtype=float),
        truth=np.array([values[c] for c in cells], dtype=float),
    )


def _lp(part: _Part, objective: np.ndarray, solver: Solver) -> tuple[float, np.ndarray]:
    solver.lp_solves += 1
    result = linprog(
        objective,
        A_eq=part.matrix if part.matrix.shape[0] else None,
        b_eq=part.rhs if part.matrix.shape[0] else None,
        bounds=np.column_stack([np.zeros(len(part.cells)), part.upper]),
        method="highs",
    )
    if result.status != 0:
        raise RuntimeError(f"the attacker's LP did not solve: {result.message}")
    return float(result.fun), np.asarray(result.x)


def _milp(part: _Part, objective: np.ndarray, solver: Solver) -> np.ndarray:
    solver.milp_solves += 1
    constraints = (
        [LinearConstraint(part.matrix, part.rhs, part.rhs)] if part.matrix.shape[0] else []
    )
    result = milp(
        objective,
        integrality=np.ones(len(part.cells)),
        bounds=Bounds(np.zeros(len(part.cells)), part.upper),
        constraints=constraints,
    )
    if result.status != 0:
        raise RuntimeError(f"the attacker's MILP did not solve: {result.message}")
    return np.round(np.asarray(result.x))


def _batches(
    part: _Part,
    pending: list[int],
    targets: list[int],
    columns: csr_array,
    passing: Callable[[int], bool],
    solver: Solver,
    rng: random.Random,
) -> list[int]:
    """Push pending cells that share no equation together in the whole part, while that
    certifies any; the cells still pending."""
    for _ in range(_WHOLE_BATCHES):
        if not pending:
            break
        chosen = _apart(pending, targets, columns, rng)
        for sign in (-1.0, 1.0):
            objective = np.zeros(len(part.cells))
            for j in chosen:
                objective[targets[j]] = sign
            part.absorb(_lp(part, objective, solver)[1])
        before = len(pending)
        pending = [j for j in pending if not passing(j)]
        if len(pending) == before:
            break
    return pending


def _check_part(
    part: _Part, targets: list[int], totals: Sequence[int], solver: Solver, rng: random.Random
) -> set[int]:
    """Indices (into ``targets``) of the cells that fail."""

    def passing(j: int) -> bool:
        i = targets[j]
        return protected(part.lo[i], part.hi[i], totals[j])

    outer_lo, outer_hi = _outer(part)
    failing = {
        j for j in range(len(targets))
        if not protected(outer_lo[targets[j]], outer_hi[targets[j]], totals[j])
    }  # fmt: skip
    pending = [j for j in range(len(targets)) if j not in failing and not passing(j)]
    columns = part.matrix.tocsc()
    for _ in range(_BATCH_ROUNDS):
        if not pending:
            break
        chosen = _apart(pending, targets, columns, rng)
        for sign in (-1.0, 1.0):
            objective = np.zeros(len(part.cells))
            for j in chosen:
                objective[targets[j]] = sign
            part.absorb(_lp(part, objective, solver)[1])
        before = len(pending)
        pending = [j for j in pending if not passing(j)]
        if before - len(pending) < _BATCH_GAIN:
            break
    rows_of = part.matrix.tocsr()
    left = []
    for j in pending:
        i = targets[j]
        local = _neighbourhood(i, columns, rows_of)
        for sign in (1.0, -1.0):
            if passing(j):
                break
            part.absorb(_local_lp(part, local, i, sign, solver))
        if not passing(j):
            left.append(j)
    left = _batches(part, left, targets, columns, passing, solver, rng)
    if len(left) <= _WHOLE_LIMIT:
        for j in left:
            if not passing(j):
                _whole(part, targets[j], solver)
    failing.update(j for j in left if not passing(j))
    return failing


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
        bad = _check_part(part, positions, totals, solver, rng)
        for j, c in enumerate(targets):
            if j in bad:
                failing.add(c)
            else:
                widths[c] = int(part.hi[positions[j]] - part.lo[positions[j]])
    return Check(failing=frozenset(failing), widths=widths)


def _total(c: Cell, values: Mapping[Cell, int]) -> int:
    return values[(c[0], c[1], "TOTAL")]
