"""Reading an uploaded table the way offices save one: a CSV file (UTF-8 with or without BOM,
or Windows-1252/Latin-1; separated by commas, semicolons or tabs) or an Excel ``.xlsx``
workbook (its first sheet). Pure: bytes in, rows with their line numbers out.
"""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

XLSX_MAGIC = b"PK\x03\x04"
SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs"}
MAX_SHEET_ROWS = 200_000


class TableError(Exception):
    """The file as a whole cannot be read; ``line`` is where, when one line is at fault."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Table:
    rows: Iterator[tuple[int, list[str]]]
    """Each row's cells, with its line (CSV) or row number (sheet), header first."""
    kind: str
    """How the file was read, for messages: ``CSV (UTF-8, commas)`` or ``Excel workbook``."""
    notes: list[str] = field(default_factory=list)
    """What the uploader should know about how the file was read (a guessed encoding)."""


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


UNREADABLE_BOOK = (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, SyntaxError)


def _sheet_rows(data: bytes) -> list[tuple[int, list[str]]]:
    """The first sheet's rows, read whole (openpyxl warns about styles it ignores)."""
    from openpyxl import load_workbook

    rows: list[tuple[int, list[str]]] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                    if number > MAX_SHEET_ROWS:
                        raise TableError(f"the sheet has more than {MAX_SHEET_ROWS} rows", number)
                    rows.append((number, [_cell(v) for v in values]))
            finally:
                book.close()
    except UNREADABLE_BOOK as exc:
        raise TableError(
            f"the file looks like an Excel workbook but cannot be read ({exc})"
        ) from None
    return rows


def _decode(data: bytes) -> tuple[str, str, list[str]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise TableError(
            "the file looks like UTF-16 text (Excel's 'Unicode Text'): save it as "
            "'CSV UTF-8' or upload the .xlsx workbook"
        )
    try:
        return data.decode("utf-8-sig"), "UTF-8", []
    except UnicodeDecodeError as exc:
        bad = data.count(b"\n", 0, exc.start) + 1
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    note = (
        f"the file is not UTF-8 (line {bad} first): it was read as Windows-1252 (Latin-1); "
        "check accented names, or save it as 'CSV UTF-8' next time"
    )
    return text, "Windows-1252", [note]


def _separator(first_line: str, wanted: Sequence[str]) -> str:
    """The separator under which the header holds the wanted columns, else the likeliest."""
    for sep in SEPARATORS:
        header = next(csv.reader([first_line], delimiter=sep), [])
        names = {cell.strip().lower() for cell in header}
        if all(name in names for name in wanted):
            return sep
    return max(SEPARATORS, key=first_line.count) if first_line else ","


def _csv_rows(text: str, sep: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as exc:
        raise TableError(
            f"malformed CSV at line {reader.line_num} ({exc})", reader.line_num
        ) from None


def read_table(data: bytes, wanted: Sequence[str] = ()) -> Table:
    """The file's rows; ``wanted`` are header names that pick the separator of a CSV file."""
    if data.startswith(XLSX_MAGIC):
        return Table(iter(_sheet_rows(data)), "Excel workbook")
    text, encoding, notes = _decode(data)
    sep = _separator(text.split("\n", 1)[0].rstrip("\r"), wanted)
    return Table(_csv_rows(text, sep), f"CSV ({encoding}, {SEPARATORS[sep]})", notes)
