"""What earlier publications of a cycle taught the attacker (SPEC §3.8).

Each publication leaves a record, kept with the snapshot but never served: its reported LEAs
with their place and counts, and the cells it published. On the next publication every earlier
record joins the attacker's system as a copy of the tables of its time: an LEA whose place and
counts have not changed since is the same unknown in both; a changed LEA, and every group
total of the earlier time, are unknowns of their own, tied by that time's equations and fixed
where that time published them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from models.reports.attacker import Cell, Equation
from models.reports.suppression import MEASURES, build_constraints

LeaFacts = tuple[str, str, int, int, int]
"""A reported LEA's county, SELPA and A, B, C."""


def record(leas: Mapping[str, LeaFacts], published: Sequence[Cell]) -> dict[str, Any]:
    """The record of one publication."""
    return {
        "leas": {cds: list(facts) for cds, facts in leas.items()},
        "published": [list(c) for c in published],
    }


def knowledge(
    history: Sequence[Mapping[str, Any]], current: Mapping[str, LeaFacts]
) -> tuple[list[Equation], dict[Cell, int], dict[Cell, int]]:
    """The equations, true values and known cells that ``history`` adds to the attacker's
    system of a table whose reported LEAs are ``current``."""
    equations: list[Equation] = []
    values: dict[Cell, int] = {}
    known: dict[Cell, int] = {}
    for n, past in enumerate(history):
        leas: dict[str, LeaFacts] = {
            cds: (str(f[0]), str(f[1]), int(f[2]), int(f[3]), int(f[4]))
            for cds, f in past["leas"].items()
        }
        tag = f"@{n}"

        def rename(c: Cell, leas: dict[str, LeaFacts] = leas, tag: str = tag) -> Cell:
            if c[0] == "LEA" and current.get(c[1]) == leas[c[1]]:
                return c
            return (c[0] + tag, c[1], c[2])

        triples = [(cds, f[0], f[1]) for cds, f in leas.items()]
        for equation in build_constraints(triples):
            equations.append({rename(c): k for c, k in equation.items()})
        truth = _values(leas)
        for c, v in truth.items():
            values[rename(c)] = v
            if c[2] == "TOTAL":
                known[rename(c)] = v
        for raw in past["published"]:
            c = (str(raw[0]), str(raw[1]), str(raw[2]))
            if c in truth:
                known[rename(c)] = truth[c]
    return equations, values, known


def _values(leas: Mapping[str, LeaFacts]) -> dict[Cell, int]:
    values: dict[Cell, int] = {}
    for cds, (county, selpa, a, b, c) in leas.items():
        counts = (a, b, c, a + b + c)
        for grouping, key in (("LEA", cds), ("COUNTY", county), ("SELPA", selpa), ("STATE", "CA")):
            for measure, v in zip(MEASURES, counts, strict=True):
                values[(grouping, key, measure)] = values.get((grouping, key, measure), 0) + v
    return values
