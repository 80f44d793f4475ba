"""The worksheet's pure rules (SPEC §3.4, §3.9) and the SQL counts agreeing with them."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models import SampledStudent
from models.shared.enums import Category
from models.worksheet.categories import category
from models.worksheet.minutes_csv import MinutesFileError, parse_minutes_csv
from models.worksheet.rules import (
    MinutesEntry,
    entry_problems,
    rate_percent,
    window_minutes,
)
from resolvers.worksheet.counts import derived_counts
from tests.support.factories import LEA_A1, LEA_A2, World

VECTORS = [
    (2000, 2160, "92.59", Category.B),
    (2052, 2160, "95.00", Category.A),
    (2051, 2160, "94.95", Category.B),
    (1944, 2160, "90.00", Category.B),
    (1943, 2160, "89.95", Category.C),
    (2400, 2160, "111.11", Category.A),
]


def by_fraction(provided: int, prescribed: int) -> Category:
    rate = Fraction(provided, prescribed)
    if rate >= Fraction(95, 100):
        return Category.A
    if rate >= Fraction(90, 100):
        return Category.B
    return Category.C


@given(st.integers(min_value=0, max_value=10**7), st.integers(min_value=1, max_value=10**7))
def test_category_agrees_with_exact_fractions(provided: int, prescribed: int) -> None:
    assert category(provided, prescribed) is by_fraction(provided, prescribed)


@given(st.integers(min_value=1, max_value=84_960), st.sampled_from([90, 95]))
def test_category_edges_agree_with_exact_fractions(prescribed: int, percent: int) -> None:
    # the provided minutes right at, just below and just above each boundary
    edge = prescribed * percent // 100
    for provided in (edge - 1, edge, edge + 1):
        if provided >= 0:
            assert category(provided, prescribed) is by_fraction(provided, prescribed)


@pytest.mark.parametrize(("provided", "prescribed", "rate", "expected"), VECTORS)
def test_spec_vectors(provided: int, prescribed: int, rate: str, expected: Category) -> None:
    assert rate_percent(provided, prescribed) == rate
    assert category(provided, prescribed) is expected


def test_window_minutes_of_2024_25() -> None:
    assert window_minutes(date(2025, 3, 3), date(2025, 4, 30)) == 84_960


def test_entry_problems_name_every_bad_cell_and_never_the_ssid() -> None:
    sample = {"1000000001", "1000000002", "1000000003"}
    entries = [
        MinutesEntry("1000000001", 2160, 2000),
        MinutesEntry("1000000009", 2160, 2000),  # not in the sample
        MinutesEntry("1000000002", 0, 84_961),  # both out of range
        MinutesEntry("1000000001", 10, 10),  # duplicate
        MinutesEntry("1000000003", None, 5),  # one of two missing
        MinutesEntry("12345", None, None),  # malformed SSID, clearing
    ]
    problems = entry_problems(entries, sample, 84_960)
    assert [(p.index, p.column) for p in problems] == [
        (1, "ssid"),
        (2, "prescribed"),
        (2, "provided"),
        (3, "ssid"),
        (4, "prescribed"),
        (5, "ssid"),
    ]
    assert problems[3].earlier == 0
    assert not any(ssid in p.reason for p in problems for ssid in sample)


def test_csv_header_by_name_bom_and_bad_cells() -> None:
    text = (
        "\ufefffirst_name,PROVIDED_MINUTES,ssid,prescribed_minutes\r\n"
        "Ann,2000,1000000001,2160\r\n"
        "\r\n"
        "Bo,abc,1000000002,\r\n"
        "Cy,1,1000000003\r\n"
        "Di,,1000000004,99999999999999\r\n"
    )
    parsed = parse_minutes_csv(text.encode("utf-8"))
    assert parsed.entries[0] == MinutesEntry("1000000001", 2160, 2000)
    assert parsed.lines == [2, 4, 5, 6]
    assert [parsed.row_error(p).line for p in parsed.problems] == [4, 5]
    assert [parsed.row_error(p).column for p in parsed.problems] == ["provided_minutes", "row"]
    assert parsed.entries[3].prescribed is not None and parsed.entries[3].prescribed > 84_960


@pytest.mark.parametrize(
    "data",
    [b"ssid,prescribed_minutes\r\n1,2\r\n", b"\xff\xfe\x00", b""],
)
def test_csv_files_that_cannot_be_read(data: bytes) -> None:
    with pytest.raises(MinutesFileError):
        parse_minutes_csv(data)


async def test_sql_counts_agree_with_the_integer_rule(world: World) -> None:
    # given LEA A1's sample with minutes around both boundaries, one student left empty
    rows = await SampledStudent.filter(cycle=world.cycle, lea__cds_code=LEA_A1).order_by("ssid")
    cases = [(provided, prescribed) for provided, prescribed, _, _ in VECTORS] + [
        (0, 1),
        (95, 100),
        (94, 100),
        (90, 100),
        (89, 100),
        (84_960, 84_960),
        (1, 84_960),
        (19, 20),
        (18, 20),
        (17, 20),
        (0, 84_960),
        (2, 1),
    ]
    expected = dict.fromkeys(Category, 0)
    for row, (provided, prescribed) in zip(rows[:-1], cases, strict=False):
        await SampledStudent.filter(id=row.id).update(
            prescribed_minutes=prescribed, provided_minutes=provided
        )
        expected[category(provided, prescribed)] += 1
    entered = min(len(rows) - 1, len(cases))
    # when the counts are summed in SQL
    counts = await derived_counts(world.cycle.id, [world.lea_a1.lea_id, world.lea_a2.lea_id])
    # then they are the integer rule's, and the empty students are missing
    mine = counts[world.lea_a1.lea_id]
    assert mine.counts == (expected[Category.A], expected[Category.B], expected[Category.C])
    assert mine.sampled == len(rows) and mine.missing == len(rows) - entered
    other = counts[world.lea_a2.lea_id]
    assert (
        other.missing
        == other.sampled
        == len(await SampledStudent.filter(cycle=world.cycle, lea__cds_code=LEA_A2))
    )
