"""Identifier formats accept ASCII digits only; CSV cells never start a formula."""

import pytest

from models.shared import identifiers as formats
from models.shared.csv_cells import spreadsheet_safe


@pytest.mark.parametrize(
    ("check", "good", "bad"),
    [
        (
            formats.is_cds_code,
            "19647330000000",
            ["١" * 14, "１" * 14, "1964733000000", "1964733000000a"],
        ),
        (formats.is_ssid, "1234567890", ["١" * 10, "123456789²", "123456789"]),
        (formats.is_selpa_code, "1950", ["１２３４", "195", "19500"]),
        (formats.is_cycle_name, "2024-25", ["２０２４-２５", "2024-26", "2024/25"]),
        (formats.is_phone_ext, "123", ["١٢", "1234567"]),
    ],
)
def test_identifiers_take_ascii_digits_only(check: object, good: str, bad: list[str]) -> None:
    assert callable(check)
    assert check(good)
    for value in bad:
        assert not check(value), value


def test_phone_numbers_are_us_numbers_in_ascii() -> None:
    assert formats.normalize_us_phone("(916) 555-0100") == "916-555-0100"
    assert formats.normalize_us_phone("1-916-555-0100") == "916-555-0100"
    assert formats.normalize_us_phone("(٩١٦) ٥٥٥-٠١٠٠") is None
    assert formats.normalize_us_phone("016-555-0100") is None


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("-2+3+cmd|'/Ccalc'!A0@example.org", "'-2+3+cmd|'/Ccalc'!A0@example.org"),
        ("+1", "'+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Mesa Verde Unified", "Mesa Verde Unified"),
        (42, "42"),
        (None, ""),
    ],
)
def test_cells_never_start_a_formula(value: object, cell: str) -> None:
    assert spreadsheet_safe(value) == cell
