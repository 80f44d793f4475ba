"""The synthetic generator: realistic shape at each scale, and the same files for a seed."""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import pytest

from iepimp.generate import generate, plan, roster_rows
from models.directory.disability import is_category
from models.shared import identifiers as formats


@pytest.mark.parametrize(
    ("scale", "selpas", "leas", "students"),
    [("california", 140, 2_300, 820_000), ("national", 1_100, 18_000, 7_500_000)],
)
def test_plan_has_the_size_and_shape_of_its_scale(
    scale: str, selpas: int, leas: int, students: int
) -> None:
    rows = plan(scale, 11)
    assert len(rows) == leas
    assert len({r.selpa.code for r in rows}) == selpas
    assert len({r.cds_code for r in rows}) == leas
    assert all(
        formats.is_cds_code(r.cds_code) and formats.is_selpa_code(r.selpa.code) for r in rows
    )
    assert abs(sum(r.students for r in rows) - students) <= students * 0.05
    kinds = Counter(r.kind for r in rows)
    assert set(kinds) == {"district", "charter", "county office"}
    sizes = sorted(r.students for r in rows)
    # a long tail: the median LEA is far smaller than the largest
    assert sizes[-1] > 20 * sizes[len(sizes) // 2]
    if scale == "california":
        assert {r.cds_code[:2] for r in rows} == {f"{c:02d}" for c in range(1, 59)}


def test_same_seed_same_files_and_another_seed_differs(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate("demo", 5, first)
    generate("demo", 5, second)
    generate("demo", 6, other)
    for name in ("directory.csv", "roster.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
        assert (first / name).read_bytes() != (other / name).read_bytes()


def test_roster_rows_are_valid_students() -> None:
    leas = plan("california", 3)
    ssids = set()
    for row in itertools.islice(roster_rows(leas, 3, 2024), 20_000):
        cds, ssid, _first, _last, birth, grade, category, _race, _gender = row
        assert formats.is_cds_code(cds) and formats.is_ssid(ssid) and is_category(category)
        assert birth[:4].isdigit() and grade
        ssids.add(ssid)
    assert len(ssids) == 20_000
