"""The ``.xlsx`` twin of each CSV download: one sheet, the same header and rows. Text stays
text (a cell starting with ``=`` is never a formula), numbers stay numbers."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from starlette.responses import Response

XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(sheet: WriteOnlyWorksheet, value: object) -> Cell:
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        return cell
    return WriteOnlyCell(sheet, value=value)


class SheetWriter:
    def __init__(self, title: str, header: Sequence[str]) -> None:
        self.book = Workbook(write_only=True)
        self.sheet = self.book.create_sheet(title[:31])
        self.sheet.append([_cell(self.sheet, name) for name in header])

    def add(self, rows: Iterable[Sequence[object]]) -> None:
        for row in rows:
            self.sheet.append([_cell(self.sheet, value) for value in row])

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.book.save(out)
        return out.getvalue()


def workbook(title: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    writer = SheetWriter(title, header)
    writer.add(rows)
    return writer.to_bytes()


async def workbook_from_batches(
    title: str, header: Sequence[str], batches: AsyncIterator[list[list[str]]]
) -> bytes:
    writer = SheetWriter(title, header)
    async for rows in batches:
        writer.add(rows)
    return writer.to_bytes()


def xlsx_response(content: bytes, filename: str) -> Response:
    return Response(
        content,
        media_type=XLSX_MEDIA,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
