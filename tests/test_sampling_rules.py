"""The sample band table, stratified allocation and HMAC ordering as pure functions."""

import hashlib
import hmac
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.cycles.bands import DEFAULT_BANDS, sample_size, validate_bands
from models.cycles.sampling import RosterEntry, allocate, draw_sample, selection_key


@pytest.mark.parametrize(
    ("population", "expected"),
    [
        (0, 0),
        (1, 1),
        (20, 20),
        (21, 20),
        (100, 20),
        (101, 20),
        (199, 20),
        (200, 20),
        (201, 21),
        (4_999, 500),
        (5_000, 500),
        (50_000, 500),
    ],
)
def test_sample_size_at_every_band_edge(population: int, expected: int) -> None:
    assert sample_size(population, DEFAULT_BANDS, cap=500) == expected


def test_cycle_cap_limits_every_band() -> None:
    assert sample_size(50_000, DEFAULT_BANDS, cap=300) == 300
    assert sample_size(4_000, DEFAULT_BANDS, cap=300) == 300


def test_band_table_is_data() -> None:
    bands = validate_bands(
        [
            {"min": 1, "max": 50, "fixed": 10, "percent": None},
            {"min": 51, "max": None, "fixed": None, "percent": 25},
        ]
    )
    assert sample_size(8, bands, cap=500) == 8
    assert sample_size(51, bands, cap=500) == 13


@pytest.mark.parametrize(
    "bad",
    [
        [],
        [{"min": 2, "max": None, "fixed": 5, "percent": None}],
        [{"min": 1, "max": 10, "fixed": 5, "percent": None}],
        [{"min": 1, "max": None, "fixed": 5, "percent": 10}],
        [{"min": 1, "max": None, "fixed": None, "percent": 101}],
    ],
)
def test_bad_band_tables_are_refused(bad: list[dict[str, int | None]]) -> None:
    with pytest.raises(ValueError):
        validate_bands(bad)


def test_allocation_gives_remainders_to_largest_then_larger_stratum_then_code() -> None:
    # n·Nk/N: SLD 10·5/12=4.17, SLI 10·4/12=3.33, AUT 10·3/12=2.5 → 4,3,2 with one left
    assert allocate({"SLD": 5, "SLI": 4, "AUT": 3}, 10) == {"SLD": 4, "SLI": 3, "AUT": 3}
    # equal remainders: the larger stratum first
    assert allocate({"AUT": 1, "SLD": 3}, 2) == {"AUT": 0, "SLD": 2}
    # equal remainders and sizes: by category code
    assert allocate({"SLI": 1, "AUT": 1}, 1) == {"AUT": 1, "SLI": 0}


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["AUT", "ED", "ID", "OHI", "SLD", "SLI"]), st.integers(1, 400), min_size=1
    ),
    st.data(),
)
def test_strata_stay_within_one_student_of_proportional(
    strata: dict[str, int], data: st.DataObject
) -> None:
    population = sum(strata.values())
    n = data.draw(st.integers(0, population))
    allocation = allocate(strata, n)
    assert sum(allocation.values()) == n
    for code, size in strata.items():
        assert abs(allocation[code] - n * size / population) < 1
        assert 0 <= allocation[code] <= size


def _roster(count: int, seed: int = 7) -> list[RosterEntry]:
    rng = random.Random(seed)
    ssids = rng.sample(range(1_000_000_000, 9_999_999_999), count)
    cats = ["SLD", "SLI", "AUT", "OHI", "ID"]
    return [RosterEntry(str(s), rng.choice(cats)) for s in ssids]


def test_draw_is_independent_of_roster_order() -> None:
    roster = _roster(600)
    shuffled = roster[:]
    random.Random(3).shuffle(shuffled)
    first = {d.ssid for d in draw_sample("seed-one", roster, 60)}
    second = {d.ssid for d in draw_sample("seed-one", shuffled, 60)}
    assert first == second
    assert first != {d.ssid for d in draw_sample("seed-two", roster, 60)}


def test_draw_recomputes_with_nothing_but_hmac() -> None:
    # given a roster and a seed
    roster = _roster(250)
    seed = "public-seed-2024-25"
    # when the service draws n = 25
    drawn = {d.ssid for d in draw_sample(seed, roster, 25)}
    # then an auditor with hmac alone gets the same students
    strata: dict[str, list[str]] = {}
    for entry in roster:
        strata.setdefault(entry.disability_category, []).append(entry.ssid)
    total = len(roster)
    quotas = {c: 25 * len(s) // total for c, s in strata.items()}
    rema = {c: (25 * len(s)) % total for c, s in strata.items()}
    for c in sorted(strata, key=lambda c: (-rema[c], -len(strata[c]), c))[
        : 25 - sum(quotas.values())
    ]:
        quotas[c] += 1
    expected: set[str] = set()
    for c, ssids in strata.items():
        keyed = sorted(
            ssids, key=lambda s: hmac.new(seed.encode(), s.encode(), hashlib.sha256).hexdigest()
        )
        expected.update(keyed[: quotas[c]])
    assert drawn == expected
    assert (
        selection_key(seed, roster[0].ssid)
        == hmac.new(seed.encode(), roster[0].ssid.encode(), hashlib.sha256).hexdigest()
    )


def test_draw_is_stratified() -> None:
    roster = _roster(1000)
    drawn = draw_sample("s", roster, 100)
    population = Counter(e.disability_category for e in roster)
    sample = Counter(d.disability_category for d in drawn)
    for code, size in population.items():
        assert abs(sample[code] - 100 * size / 1000) < 1
