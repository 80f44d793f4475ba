"""Reading an import file: UTF-8 (with or without BOM), header row, columns by name."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from models.directory.import_rows import RowError, check_header

Progress = Callable[[int, int], None]


class ImportRefused(Exception):
    """The file was refused; nothing was changed. ``errors`` names every bad row."""

    def __init__(self, errors: Sequence[RowError] | str) -> None:
        self.errors: list[RowError] = (
            [RowError(0, "file", errors)] if isinstance(errors, str) else list(errors)
        )
        super().__init__(f"{len(self.errors)} error(s)")


def read_rows(
    path: Path, required: Sequence[str], optional: Sequence[str]
) -> Iterator[tuple[int, dict[str, str] | RowError]]:
    """(line, {column: value}) per data row, or a ``RowError`` for a row of the wrong width."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
        except (csv.Error, UnicodeDecodeError):
            raise ImportRefused("the file is not UTF-8 CSV") from None
        if header is None:
            raise ImportRefused("the file is empty")
        errors = check_header(header, required, optional)
        if errors:
            raise ImportRefused(errors)
        names = [name.strip().lower() for name in header]
        width = len(names)
        try:
            for row in reader:
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if len(row) != width:
                    reason = f"has {len(row)} fields where the header has {width}"
                    yield reader.line_num, RowError(reader.line_num, "row", reason)
                    continue
                yield reader.line_num, dict(zip(names, row, strict=True))
        except UnicodeDecodeError:
            raise ImportRefused("the file is not UTF-8") from None
        except csv.Error as exc:
            raise ImportRefused(
                [RowError(reader.line_num, "file", f"malformed CSV ({exc})")]
            ) from None


def count_lines(path: Path) -> int:
    """Data rows, roughly (physical lines minus the header), for progress."""
    with path.open("rb") as handle:
        return max(
            sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1, 0
        )
