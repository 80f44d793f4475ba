"""Reading an uploaded minutes file (SPEC §3.9, §10): CSV or ``.xlsx`` as ``read_table``
reads them, columns found by header name (``ssid``, ``prescribed_minutes``,
``provided_minutes``; others ignored, so a filled-in ``students.csv`` can be uploaded as it is).

Pure: the file's bytes in, entries (with their line numbers) and row problems out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from models.directory.import_rows import RowError
from models.shared.tabular import TableError, read_table
from models.worksheet.rules import PRESCRIBED, PROVIDED, ROW, SSID, EntryProblem, MinutesEntry

COLUMNS = {SSID: "ssid", PRESCRIBED: "prescribed_minutes", PROVIDED: "provided_minutes"}
NAMES = {**COLUMNS, ROW: "row"}
WHOLE = re.compile(r"-?[0-9]+")
TOO_MANY_DIGITS = 9


class MinutesFileError(Exception):
    """The file as a whole cannot be read (encoding, header, CSV syntax); nothing was changed."""

    def __init__(self, message: str, column: str = "file", line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.column = column
        self.line = line


@dataclass
class MinutesFile:
    entries: list[MinutesEntry] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    """The line number of each entry."""
    problems: list[EntryProblem] = field(default_factory=list)
    """Rows of the wrong width and cells that are not whole numbers, by entry."""
    notes: list[str] = field(default_factory=list)
    """How the file was read, when the uploader should know (a guessed encoding)."""

    def row_error(self, problem: EntryProblem) -> RowError:
        reason = problem.reason
        if problem.earlier is not None:
            reason = f"{reason} (line {self.lines[problem.earlier]})"
        return RowError(self.lines[problem.index], NAMES[problem.column], reason)


def _minutes(value: str) -> int | str | None:
    """The whole number in a cell (a huge one stands in for any longer), None when empty, or
    the reason it is not one."""
    text = value.strip()
    if not text:
        return None
    if WHOLE.fullmatch(text) is None:
        return "must be a whole number"
    if len(text.lstrip("-")) > TOO_MANY_DIGITS:
        return -1 if text.startswith("-") else 10**TOO_MANY_DIGITS
    return int(text)


def _header(row: list[str], kind: str) -> dict[str, int]:
    names = [name.strip().lower() for name in row]
    positions: dict[str, int] = {}
    for key, name in COLUMNS.items():
        found = [i for i, n in enumerate(names) if n == name]
        if not found:
            shown = ", ".join(n for n in names if n)[:200] or "none"
            raise MinutesFileError(
                f"the header has no {name} column (read as {kind}; its columns: {shown})", name, 1
            )
        if len(found) > 1:
            raise MinutesFileError(f"the header has the {name} column twice", name, 1)
        positions[key] = found[0]
    return positions


def parse_minutes_csv(data: bytes) -> MinutesFile:
    try:
        table = read_table(data, list(COLUMNS.values()))
        return _parse(table.rows, table.kind, table.notes)
    except TableError as exc:
        raise MinutesFileError(exc.message, line=exc.line) from None


def _parse(rows: Iterator[tuple[int, list[str]]], kind: str, notes: list[str]) -> MinutesFile:
    parsed = MinutesFile(notes=notes)
    first = next(rows, None)
    if first is None:
        raise MinutesFileError("the file is empty")
    header = first[1]
    positions = _header(header, kind)
    width = len(header)
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        index = len(parsed.entries)
        parsed.lines.append(line)
        if len(row) != width and (len(row) < width or any(c.strip() for c in row[width:])):
            reason = f"has {len(row)} fields where the header has {width}"
            parsed.problems.append(EntryProblem(index, ROW, reason))
            parsed.entries.append(MinutesEntry("", None, None))
            continue
        values: dict[str, int | None] = {}
        for key in (PRESCRIBED, PROVIDED):
            value = _minutes(row[positions[key]])
            if isinstance(value, str):
                parsed.problems.append(EntryProblem(index, key, value))
                value = None
            values[key] = value
        parsed.entries.append(
            MinutesEntry(row[positions[SSID]].strip(), values[PRESCRIBED], values[PROVIDED])
        )
    return parsed
