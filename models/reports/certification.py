"""Certifying sensitive cells in one part: bound propagation first (an outer bound: a cell
too narrow there fails), then LPs whose whole-number optima are witnesses: cells sharing no
equation pushed together in the whole part, a local system around each cell left, further
whole-part batches, and each cell alone in the whole part when few are left."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_array

from models.reports.lp_part import EPS, Part, Solver, integer_lp, lp, protected

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


def _whole(part: Part, i: int, solver: Solver) -> None:
    for sign in (1.0, -1.0):
        objective = np.zeros(len(part.cells))
        objective[i] = sign
        _, x = lp(part, objective, solver)
        if not part.absorb(x):
            part.absorb(integer_lp(part, objective, solver))


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


def _local_lp(part: Part, local: np.ndarray, i: int, sign: float, solver: Solver) -> np.ndarray:
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


def _outer(part: Part) -> tuple[np.ndarray, np.ndarray]:
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
        np.maximum.at(lo, j, np.ceil(new_lo - EPS))
        np.minimum.at(hi, j, np.floor(new_hi + EPS))
    return lo, hi


def _batches(
    part: Part,
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
        before = len(pending)
        pending = _push_apart(part, pending, targets, columns, passing, solver, rng)
        if len(pending) == before:
            break
    return pending


def _push_apart(
    part: Part,
    pending: list[int],
    targets: list[int],
    columns: csr_array,
    passing: Callable[[int], bool],
    solver: Solver,
    rng: random.Random,
) -> list[int]:
    """Minimise, then maximise, a batch of pending cells that share no equation in one LP
    each; the cells still pending after the witnesses are absorbed."""
    chosen = _apart(pending, targets, columns, rng)
    for sign in (-1.0, 1.0):
        objective = np.zeros(len(part.cells))
        for j in chosen:
            objective[targets[j]] = sign
        part.absorb(lp(part, objective, solver)[1])
    return [j for j in pending if not passing(j)]


def check_part(
    part: Part, targets: list[int], totals: Sequence[int], solver: Solver, rng: random.Random
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
        before = len(pending)
        pending = _push_apart(part, pending, targets, columns, passing, solver, rng)
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
