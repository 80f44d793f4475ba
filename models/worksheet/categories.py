"""Per-student implementation rate and category, in exact integer arithmetic (SPEC §3.4)."""

from __future__ import annotations

from functools import lru_cache

from models.shared.enums import Category


def category(provided: int, prescribed: int) -> Category:
    """A when the rate reaches 95 %, B from 90 % up to (not including) 95 %, else C."""
    if prescribed <= 0:
        raise ValueError("prescribed minutes must be greater than 0")
    if provided < 0:
        raise ValueError("provided minutes must not be negative")
    if 100 * provided >= 95 * prescribed:
        return Category.A
    if 100 * provided >= 90 * prescribed:
        return Category.B
    return Category.C


@lru_cache(maxsize=65_536)
def percent_half_up(numerator: int, denominator: int) -> str | None:
    """``numerator/denominator`` as a percentage with two decimals, rounded half-up; None on 0."""
    if denominator == 0:
        return None
    if numerator < 0 or denominator < 0:
        raise ValueError("percentages are of non-negative counts")
    hundredths, remainder = divmod(10_000 * numerator, denominator)
    if 2 * remainder >= denominator:
        hundredths += 1
    whole, frac = divmod(hundredths, 100)
    return f"{whole}.{frac:02d}"
