"""One connected part of the attacker's system (``models.reports.attacker``), and the LP and
MILP solves (HiGHS, through ``scipy.optimize``) whose whole-number solutions widen its cells."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_array

WIDTH = 11
"""The narrowest interval a sensitive cell may have."""

Cell = tuple[str, str, str]
Equation = dict[Cell, int]
"""A homogeneous linear equation over cells: the sum of coefficient * cell is 0."""

EPS = 1e-7


@dataclass
class Solver:
    """Counts the LP and MILP solves made."""

    lp_solves: int = 0
    milp_solves: int = 0


@dataclass
class Part:
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
        if np.max(np.abs(x - rounded), initial=0.0) > EPS:
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


def lp(part: Part, objective: np.ndarray, solver: Solver) -> tuple[float, np.ndarray]:
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


def integer_lp(part: Part, objective: np.ndarray, solver: Solver) -> np.ndarray:
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
