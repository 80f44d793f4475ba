""" "Download Student Records" and "Download LEA Records" as CSV, page by page through the
portal's operations (the columns of SPEC §10)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from models.directory.record_columns import LEA_COLUMNS, STUDENT_COLUMNS
from models.shared.csv_cells import BOM, csv_text
from web.portal.client import Answer, Client

MAX_PAGES = 10_000
PAGE = 500


def _csv(rows: Iterable[Sequence[Any]]) -> str:
    return BOM + csv_text(rows)


def _attachment(body: str, filename: str) -> Response:
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={
            "content-disposition": f'attachment; filename="{filename}"',
            "cache-control": "no-store",
        },
    )


def _missing() -> Response:
    return Response("Not found.", status_code=404, media_type="text/plain")


def _refused(answer: Answer) -> Response | None:
    """A top-level error (e.g. a role that may not see student records) as its HTTP answer."""
    if not answer.errors:
        return None
    status = 403 if answer.errors[0]["code"] == "FORBIDDEN" else 400
    return Response(answer.errors[0]["message"], status_code=status, media_type="text/plain")


async def student_records(client: Client, request: Request) -> Response:
    cycle, cds = request.path_params["cycle"], request.path_params["cds"]
    students: list[list[Any]] = []
    after: str | None = None
    for _ in range(MAX_PAGES):
        answer = await client.run(
            request,
            "SampledStudents",
            {"cycle": cycle, "cdsCode": cds, "search": None, "first": PAGE, "after": after},
        )
        if (refused := _refused(answer)) is not None:
            return refused
        lea = answer.data.get("lea")
        if lea is None:
            return _missing()
        page = lea["sampledStudents"]
        for edge in page["edges"]:
            s = edge["node"]
            students.append(
                [
                    s["ssid"],
                    s["firstName"],
                    s["lastName"],
                    s["birthDate"],
                    s["grade"],
                    s["disabilityCategory"],
                ]
            )
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    minutes: dict[str, tuple[Any, Any]] = {}
    after_ssid: str | None = None
    for _ in range(MAX_PAGES):
        answer = await client.run(
            request,
            "Worksheet",
            {"cycle": cycle, "cdsCode": cds, "first": PAGE, "after": after_ssid},
        )
        if (refused := _refused(answer)) is not None:
            return refused
        rows = ((answer.data.get("lea") or {}).get("worksheet") or {}).get("rows") or []
        for row in rows:
            minutes[row["ssid"]] = (row["prescribedMinutes"], row["providedMinutes"])
        if len(rows) < PAGE:
            break
        after_ssid = rows[-1]["ssid"]
    body = [STUDENT_COLUMNS, *([*r, *minutes.get(r[0], (None, None))] for r in students)]
    return _attachment(_csv(body), f"students-{cycle}-{cds}.csv")


async def lea_records(client: Client, request: Request) -> Response:
    cycle, code = request.path_params["cycle"], request.path_params["code"]
    rows: list[list[Any]] = []
    after: str | None = None
    for _ in range(MAX_PAGES):
        answer = await client.run(
            request, "LeaRecords", {"cycle": cycle, "code": code, "after": after}
        )
        if (refused := _refused(answer)) is not None:
            return refused
        selpa = answer.data.get("selpa")
        if selpa is None:
            return _missing()
        for edge in selpa["leas"]["edges"]:
            lea = edge["node"]
            sub = lea["submission"] or {}
            rows.append(
                [
                    lea["cdsCode"],
                    lea["name"],
                    selpa["code"],
                    selpa["name"],
                    "true" if lea["required"] else "false",
                    sub.get("status", "NOT_STARTED"),
                    sub.get("countA"),
                    sub.get("countB"),
                    sub.get("countC"),
                    sub.get("total"),
                    lea["sampleSize"],
                    sub.get("submittedAt"),
                    (sub.get("submitter") or {}).get("email"),
                    sub.get("reviewedAt"),
                    lea["dueAt"],
                    "true" if lea["worksheet"]["differsFromSaved"] else "false",
                ]
            )
        info = selpa["leas"]["pageInfo"]
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]
    return _attachment(_csv([LEA_COLUMNS, *rows]), f"leas-{cycle}-{code}.csv")


REPORT_COLUMNS = (
    "key",
    "label",
    "required_leas",
    "not_started",
    "draft",
    "submitted",
    "approved",
    "rejected",
    "exempt",
    "count_a",
    "count_b",
    "count_c",
    "total",
    "percent_a",
    "percent_b",
    "percent_c",
    "response_rate",
    "timeliness",
    "extensions_granted",
)


def report_csv(rows: list[dict[str, Any]], filename: str) -> Response:
    body = [REPORT_COLUMNS]
    for r in rows:
        c, s = r["leaCounts"], r["students"]
        body.append(
            (
                r["key"],
                r["label"],
                c["required"],
                c["notStarted"],
                c["draft"],
                c["submitted"],
                c["approved"],
                c["rejected"],
                c["exempt"],
                s["countA"],
                s["countB"],
                s["countC"],
                s["total"],
                s["shareA"]["percent"],
                s["shareB"]["percent"],
                s["shareC"]["percent"],
                r["responseRate"]["percent"],
                r["timeliness"]["percent"],
                r["extensionsGranted"],
            )
        )
    return _attachment(_csv(body), filename)
