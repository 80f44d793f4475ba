"""CSV cells that a spreadsheet program will not run as a formula, and CSV text made of them."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

BOM = "\ufeff"
"""Leads every CSV file written, so that Excel reads it as UTF-8."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LINE_END = "\r\n"


def spreadsheet_safe(value: object) -> str:
    """The cell's text, behind a ``'`` when it would start a formula (``=``, ``+``, ``-``, …)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Lines:
    """Where ``csv.writer`` puts each row it writes: the list of lines being built."""

    def __init__(self, lines: list[str]) -> None:
        self.write = lines.append


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """The rows as ``csv.writer`` writes them with CRLF line ends, every cell made
    ``spreadsheet_safe`` first.

    A row of two or more cells, each exactly a ``str`` (not an enum or other subclass, whose
    ``str()`` may differ from its text), in which no cell holds a comma, a quote or a line
    break and none starts a formula, is written exactly as its cells joined by commas, so it is
    joined directly; any other row goes through the csv module."""
    lines: list[str] = []
    append = lines.append
    writer = csv.writer(_Lines(lines), lineterminator=LINE_END)
    for row in rows:
        line = ",".join(row) if set(map(type, row)) <= _TEXT else ""  # type: ignore[arg-type]
        if (
            not line
            or len(row) < 2
            or line.count(",") != len(row) - 1
            or '"' in line
            or "\n" in line
            or "\r" in line
            or line.startswith(FORMULA_STARTS)
            or ",=" in line
            or ",+" in line
            or ",-" in line
            or ",@" in line
            or ",\t" in line
        ):
            writer.writerow([spreadsheet_safe(value) for value in row])
        else:
            append(line + LINE_END)
    return "".join(lines)


_TEXT = frozenset({str})
