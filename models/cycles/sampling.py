"""The reproducible, stratified sample draw (SPEC §3.3).

Within each disability-category stratum the students with the smallest
HMAC-SHA-256(cycle seed, SSID) are taken; strata get ⌊n·Nₖ/N⌋ places and the rest go to
the largest remainders (ties: the larger stratum, then the category code).
"""

from __future__ import annotations

import hmac
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


def selection_key(seed: str, ssid: str) -> str:
    """Hex HMAC-SHA-256 of the SSID keyed by the cycle seed: the student's place in the draw."""
    return hmac.digest(seed.encode("utf-8"), ssid.encode("ascii"), "sha256").hex()


def allocate(strata: Mapping[str, int], n: int) -> dict[str, int]:
    """Proportional allocation of ``n`` places over stratum sizes, largest remainders last."""
    population = sum(strata.values())
    if n < 0 or n > population:
        raise ValueError(f"cannot draw {n} from {population}")
    if population == 0:
        return {code: 0 for code in strata}
    shares = {code: divmod(n * size, population) for code, size in strata.items()}
    allocation = {code: share for code, (share, _) in shares.items()}
    left = n - sum(allocation.values())
    order = sorted(strata, key=lambda code: (-shares[code][1], -strata[code], code))
    for code in order[:left]:
        allocation[code] += 1
    return allocation


@dataclass(frozen=True)
class RosterEntry:
    ssid: str
    disability_category: str


@dataclass(frozen=True)
class Draw:
    ssid: str
    disability_category: str
    selection_key: str


def draw_sample(seed: str, roster: Iterable[RosterEntry], n: int) -> list[Draw]:
    """The ``n`` students of ``roster`` the rules select, ordered by stratum then key."""
    by_stratum: dict[str, list[Draw]] = defaultdict(list)
    for entry in roster:
        by_stratum[entry.disability_category].append(
            Draw(entry.ssid, entry.disability_category, selection_key(seed, entry.ssid))
        )
    allocation = allocate({code: len(rows) for code, rows in by_stratum.items()}, n)
    chosen: list[Draw] = []
    for code in sorted(by_stratum):
        rows = sorted(by_stratum[code], key=lambda d: (d.selection_key, d.ssid))
        chosen.extend(rows[: allocation[code]])
    return chosen
