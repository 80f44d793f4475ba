"""Shared pieces of the worksheet tests: GraphQL documents, the upload call, sample SSIDs."""

from __future__ import annotations

import csv
import io
from typing import Any

from models import SampledStudent
from tests.support.clients import GraphQLClient
from tests.support.factories import World

CYCLE = "2024-25"
WINDOW = 84_960
WORKSHEET_FIELDS = "sampled missing countA countB countC complete differsFromSaved windowMinutes"
ROW_FIELDS = "ssid prescribedMinutes providedMinutes ratePercent category"
RECORD = (
    "mutation($i: RecordMinutesInput!) { recordMinutes(input: $i) "
    "{ worksheet { " + WORKSHEET_FIELDS + " } userErrors { field code message } } }"
)
APPLY = (
    "mutation($i: ApplyWorksheetCountsInput!) { applyWorksheetCounts(input: $i) "
    "{ submission { status version countA countB countC } userErrors { field code message } } }"
)
WORKSHEET = (
    'query($cds: String!) { lea(cycle: "2024-25", cdsCode: $cds) '
    "{ worksheet { " + WORKSHEET_FIELDS + " rows { " + ROW_FIELDS + " } } } }"
)
COUNTS_ONLY = (
    'query($cds: String!) { lea(cycle: "2024-25", cdsCode: $cds) '
    "{ worksheet { " + WORKSHEET_FIELDS + " } } }"
)


async def sample_ssids(world: World, cds: str) -> list[str]:
    rows = SampledStudent.filter(cycle=world.cycle, lea__cds_code=cds).order_by("ssid")
    return [str(ssid) for ssid in await rows.values_list("ssid", flat=True)]


def entry(ssid: str, prescribed: int | None, provided: int | None) -> dict[str, Any]:
    return {"ssid": ssid, "prescribedMinutes": prescribed, "providedMinutes": provided}


def record_input(cds: str, entries: list[dict[str, Any]]) -> dict[str, Any]:
    return {"cycle": CYCLE, "cdsCode": cds, "entries": entries}


async def minutes_of(world: World, cds: str) -> dict[str, tuple[int | None, int | None]]:
    rows = await SampledStudent.filter(cycle=world.cycle, lea__cds_code=cds).values_list(
        "ssid", "prescribed_minutes", "provided_minutes"
    )
    return {str(s): (p, q) for s, p, q in rows}


async def upload(
    client: GraphQLClient,
    cds: str,
    body: bytes | str,
    *,
    content_type: str = "text/csv",
    cycle: str = CYCLE,
) -> tuple[int, dict[str, Any]]:
    data = body.encode("utf-8") if isinstance(body, str) else body
    async with client.http() as http:
        response = await http.post(
            f"/imports/{cycle}/minutes.csv?lea={cds}",
            content=data,
            headers={"content-type": content_type},
        )
    return response.status_code, response.json()


async def download_students(client: GraphQLClient, cds: str) -> list[list[str]]:
    async with client.http() as http:
        response = await http.get(f"/exports/{CYCLE}/students.csv?lea={cds}")
    assert response.status_code == 200, response.text
    assert response.content.startswith(b"\xef\xbb\xbf"), "CSV downloads carry a BOM"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def to_csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()
