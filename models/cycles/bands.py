"""The state's sample band table, stored per cycle as data (SPEC §3.3)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypedDict


class Band(TypedDict):
    """Populations ``min``…``max`` (``max`` None: unbounded) sample ``fixed`` or ``percent``."""

    min: int
    max: int | None
    fixed: int | None
    percent: int | None


NO_SWD_REASON = "no students with disabilities"
"""The recorded reason of an LEA declared (directory ``swd_count`` 0) to have no one to
sample; never inferred from an empty roster."""

DEFAULT_BANDS: list[Band] = [
    {"min": 1, "max": 100, "fixed": 20, "percent": None},
    {"min": 101, "max": 199, "fixed": 20, "percent": None},
    {"min": 200, "max": 4999, "fixed": None, "percent": 10},
    {"min": 5000, "max": None, "fixed": 500, "percent": None},
]


def validate_bands(raw: Any) -> list[Band]:
    """Check a band table: contiguous from 1, each row with exactly one of fixed/percent."""
    if not isinstance(raw, list) or not raw:
        raise ValueError("the band table must be a non-empty list")
    bands: list[Band] = []
    expected_min = 1
    for index, row in enumerate(raw):
        if not isinstance(row, dict) or set(row) != {"min", "max", "fixed", "percent"}:
            raise ValueError(f"band {index + 1} must have exactly min, max, fixed, percent")
        low, high, fixed, percent = row["min"], row["max"], row["fixed"], row["percent"]
        if low != expected_min:
            raise ValueError(f"band {index + 1} must start at {expected_min}")
        if high is not None and (not isinstance(high, int) or high < low):
            raise ValueError(f"band {index + 1} has a bad max")
        if (fixed is None) == (percent is None):
            raise ValueError(f"band {index + 1} needs exactly one of fixed or percent")
        if fixed is not None and (not isinstance(fixed, int) or fixed < 1):
            raise ValueError(f"band {index + 1} has a bad fixed size")
        if percent is not None and (not isinstance(percent, int) or not 1 <= percent <= 100):
            raise ValueError(f"band {index + 1} has a bad percent")
        if high is None and index != len(raw) - 1:
            raise ValueError("only the last band may be open-ended")
        bands.append({"min": low, "max": high, "fixed": fixed, "percent": percent})
        expected_min = (high or 0) + 1
    if bands[-1]["max"] is not None:
        raise ValueError("the last band must be open-ended (max null)")
    return bands


def sample_size(population: int, bands: Sequence[Band], cap: int) -> int:
    """n for an LEA with ``population`` SWDs: by its band, then at most ``cap`` and N."""
    if population <= 0:
        return 0
    for band in bands:
        if band["min"] <= population and (band["max"] is None or population <= band["max"]):
            if band["fixed"] is not None:
                n = band["fixed"]
            else:
                percent = band["percent"] or 0
                n = -(-population * percent // 100)
            return min(n, cap, population)
    raise ValueError(f"no band covers a population of {population}")
