"""Files the way offices keep them: CSV downloads with a BOM and CRLF, an ``.xlsx`` beside
each, and minutes uploads as Excel workbooks, semicolon or tab CSV, Windows-1252, the content
types Windows and browsers send, and plain HTML form uploads."""

from __future__ import annotations

import io
from typing import Any

import httpx
from openpyxl import Workbook, load_workbook

from models import Lea
from tests.support.clients import GraphQLClient
from tests.support.factories import LEA_A1, World
from tests.support.worksheet_support import (
    CYCLE,
    download_students,
    minutes_of,
    sample_ssids,
    upload,
)

HEADER = ["ssid", "first_name", "prescribed_minutes", "provided_minutes"]


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(data: bytes) -> list[list[Any]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return rows


async def _get(client: GraphQLClient, path: str) -> httpx.Response:
    async with client.http() as http:
        return await http.get(path)


async def test_csv_downloads_have_a_bom_and_crlf(
    world: World, lea_a1: GraphQLClient, cde_admin: GraphQLClient
) -> None:
    for client, path in (
        (lea_a1, f"/exports/{CYCLE}/students.csv?lea={LEA_A1}"),
        (cde_admin, f"/exports/{CYCLE}/leas.csv"),
        (cde_admin, f"/exports/{CYCLE}/report.csv?groupBy=SELPA"),
    ):
        response = await _get(client, path)
        assert response.status_code == 200, path
        assert response.content.startswith(b"\xef\xbb\xbf"), path
        body = response.content
        assert body.count(b"\r\n") == body.count(b"\n") > 1, path


async def test_each_csv_has_an_xlsx_twin_with_the_same_rows(
    world: World, lea_a1: GraphQLClient, cde_admin: GraphQLClient
) -> None:
    # given the LEA's students.csv
    rows = await download_students(lea_a1, LEA_A1)
    # when the .xlsx beside it is downloaded
    response = await _get(lea_a1, f"/exports/{CYCLE}/students.xlsx?lea={LEA_A1}")
    # then it is a workbook named like the CSV, holding the same cells as text
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert f'students-{CYCLE}-{LEA_A1}.xlsx"' in response.headers["content-disposition"]
    assert [[c or "" for c in row] for row in _sheet(response.content)] == rows
    # the report keeps its figures as numbers
    report = await _get(cde_admin, f"/exports/{CYCLE}/report.xlsx?groupBy=SELPA")
    assert report.status_code == 200
    sheet = _sheet(report.content)
    assert sheet[0][:3] == ["group_by", "key", "label"]
    assert isinstance(sheet[1][sheet[0].index("required")], int)
    # and the same refusals as the CSV: no token, bad argument
    anonymous = GraphQLClient(lea_a1.app)
    assert (await _get(anonymous, f"/exports/{CYCLE}/leas.xlsx")).status_code == 401
    assert (await _get(cde_admin, f"/exports/{CYCLE}/report.xlsx?groupBy=X")).status_code == 400


async def test_a_formula_in_a_name_stays_text_in_the_workbook(
    world: World, cde_admin: GraphQLClient
) -> None:
    # given an LEA whose name starts like a formula
    await Lea.filter(cds_code=LEA_A1).update(name='=HYPERLINK("http://x.example","y")')
    # when the LEA records are downloaded as a workbook
    response = await _get(cde_admin, f"/exports/{CYCLE}/leas.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    names = [cell for cell in sheet["B"] if cell.value and str(cell.value).startswith("=")]
    # then the cell holds the text, not a formula
    assert len(names) == 1 and names[0].data_type == "s"
    assert names[0].value == '=HYPERLINK("http://x.example","y")'


async def _upload_ok(client: GraphQLClient, body: bytes, **kw: Any) -> dict[str, Any]:
    status, answer = await upload(client, LEA_A1, body, **kw)
    assert status == 200, answer
    return answer


async def test_uploads_in_the_forms_offices_save(world: World, lea_a1: GraphQLClient) -> None:
    ssids = await sample_ssids(world, LEA_A1)
    # an Excel workbook, numbers as numbers
    workbook = _xlsx([HEADER, [ssids[0], "Zoë", 2160, 2000], [ssids[1], "Ana", 2160.0, 2100]])
    xlsx_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    summary = await _upload_ok(lea_a1, workbook, content_type=xlsx_type)
    assert summary["recorded"] == 2 and summary["notes"] == []
    # semicolon- and tab-separated CSV, with the content types Windows gives .csv files
    for sep, content_type, minutes in (
        (";", "application/vnd.ms-excel", 2001),
        ("\t", "application/octet-stream", 2002),
        (";", "text/plain", 2003),
    ):
        text = sep.join(HEADER) + "\r\n" + sep.join([ssids[2], "Bo", "2160", str(minutes)])
        await _upload_ok(lea_a1, text.encode(), content_type=content_type)
        assert (await minutes_of(world, LEA_A1))[ssids[2]] == (2160, minutes)
    # Windows-1252 (Latin-1) with accented names: read, with a note that says so
    latin = ";".join(HEADER) + "\r\n" + f"{ssids[3]};José Peña;2160;1999\r\n"
    summary = await _upload_ok(lea_a1, latin.encode("cp1252"))
    assert len(summary["notes"]) == 1 and "Windows-1252" in summary["notes"][0]
    assert "line 2" in summary["notes"][0]
    assert (await minutes_of(world, LEA_A1))[ssids[3]] == (2160, 1999)


async def test_a_plain_html_form_upload_is_accepted(world: World, lea_a1: GraphQLClient) -> None:
    ssids = await sample_ssids(world, LEA_A1)
    body = f"ssid,prescribed_minutes,provided_minutes\r\n{ssids[0]},2160,1800\r\n".encode()
    # when the file comes as multipart/form-data from a file input (as a browser sends it)
    async with lea_a1.http() as http:
        response = await http.post(
            f"/imports/{CYCLE}/minutes.csv?lea={LEA_A1}",
            files={"file": ("minutes.csv", body, "application/vnd.ms-excel")},
        )
    # then it is read like the bare file
    assert response.status_code == 200, response.text
    assert (await minutes_of(world, LEA_A1))[ssids[0]] == (2160, 1800)
    # and a form without a file is refused, naming the file
    form = b'--XyZ\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--XyZ--\r\n'
    async with lea_a1.http() as http:
        empty = await http.post(
            f"/imports/{CYCLE}/minutes.csv?lea={LEA_A1}",
            content=form,
            headers={"content-type": "multipart/form-data; boundary=XyZ"},
        )
    assert empty.status_code == 400
    assert (
        empty.json()["error"]["field"] == "file" and "no file" in empty.json()["error"]["message"]
    )


async def test_unreadable_files_say_where_and_hint_at_the_cause(
    world: World, lea_a1: GraphQLClient
) -> None:
    ssids = await sample_ssids(world, LEA_A1)
    # a semicolon file with a misspelt header: the line, the column, and how it was read
    status, answer = await upload(
        lea_a1, LEA_A1, f"ssid;prescribed;provided_minutes\r\n{ssids[0]};1;1\r\n"
    )
    assert status == 400
    error = answer["error"]
    assert error["field"] == "prescribed_minutes"
    assert error["rows"] == [
        {"line": 1, "column": "prescribed_minutes", "message": error["rows"][0]["message"]}
    ]
    assert (
        "semicolons" in error["message"]
        and "ssid, prescribed, provided_minutes" in error["message"]
    )
    # UTF-16 text (Excel's "Unicode Text"): a hint at how to save it
    utf16 = "ssid\tprescribed_minutes\tprovided_minutes\r\n".encode("utf-16")
    status, answer = await upload(lea_a1, LEA_A1, utf16)
    assert status == 400 and "UTF-16" in answer["error"]["message"]
    # a damaged workbook
    status, answer = await upload(lea_a1, LEA_A1, b"PK\x03\x04" + b"\x00" * 200)
    assert status == 400 and "Excel workbook" in answer["error"]["message"]
    # a bad cell in a workbook is named by its sheet row and column
    workbook = _xlsx([HEADER, [ssids[0], "A", 2160, 2000], [ssids[1], "B", 2160, "lots"]])
    status, answer = await upload(lea_a1, LEA_A1, workbook)
    assert status == 422
    assert answer["error"]["rows"][0]["line"] == 3
    assert answer["error"]["rows"][0]["column"] == "provided_minutes"
    # none of which changed anything
    assert all(v == (None, None) for v in (await minutes_of(world, LEA_A1)).values())
