"""CSV text: exactly what ``csv.writer`` writes of spreadsheet-safe cells, for any rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from enum import StrEnum

from hypothesis import given
from hypothesis import strategies as st

from models.shared import csv_cells
from models.shared.csv_cells import csv_text, spreadsheet_safe
from models.shared.enums import Role


def _reference(rows: Sequence[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([spreadsheet_safe(value) for value in row] for row in rows)
    return buffer.getvalue()


class _Plain(StrEnum):
    COMMA = "a,b"
    FORMULA = "=1"
    TEXT = "text"


TRICKY = ",\"'\r\n=+-@\t a1é"
CELLS = st.one_of(
    st.text(alphabet=TRICKY, max_size=6),
    st.text(max_size=4),
    st.integers(-20, 20),
    st.none(),
    st.booleans(),
    st.sampled_from(list(Role)),
    st.sampled_from(list(_Plain)),
)


@given(st.lists(st.lists(CELLS, max_size=6), max_size=8))
def test_any_rows_come_out_as_the_csv_module_writes_their_safe_cells(
    rows: list[list[object]],
) -> None:
    # given rows of text with commas, quotes, line breaks and formula starts anywhere,
    # numbers, None, enums (str subclasses), single cells and empty rows; when written; then
    # byte for byte the same
    assert csv_text(rows) == _reference(rows)


def test_every_kind_of_cell_that_needs_the_csv_module_gets_it() -> None:
    # given one row per reason a cell cannot be joined as it is
    rows: list[Sequence[object]] = [
        ["a", "b,c"],
        ["a", 'say "hi"'],
        ["a", "two\nlines"],
        ["a", "two\rlines"],
        ["=SUM(A1)", "b"],
        *(["a", start + "1"] for start in csv_cells.FORMULA_STARTS),
        ["a", 7],
        ["a", None],
        [""],
        ["only"],
        [],
        ("a", "tuple"),
        ["", ""],
        ["a", Role.LEA],
        ["a", _Plain.TEXT],
    ]
    # when written; then each row is what the csv module writes of its safe cells
    for row in rows:
        assert csv_text([row]) == _reference([row]), row


def test_plain_rows_are_joined_by_commas_with_crlf() -> None:
    # given rows of plain text, dates, negative-looking text inside a cell and e-mail addresses
    rows = [
        ["36000000000000", "Lake Unified", "2025-06-30T23:59:00-07:00", "a@example.org"],
        ["x-y", "", "", "z"],
    ]
    # when written; then they are joined as they are
    assert csv_text(rows) == (
        "36000000000000,Lake Unified,2025-06-30T23:59:00-07:00,a@example.org\r\nx-y,,,z\r\n"
    )
