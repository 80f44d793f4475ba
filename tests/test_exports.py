"""HTTP exports: students.csv and leas.csv, scoped like the graph, failures per SPEC §10."""

from __future__ import annotations

import csv
import io

from models import SampledStudent, Submission
from models.shared.enums import Category, SubmissionStatus
from models.worksheet.categories import category
from tests.support.clients import GraphQLClient
from tests.support.factories import LEA_A1, LEA_A2, LEA_B1, World

STUDENT_HEADER = [
    "ssid",
    "first_name",
    "last_name",
    "birth_date",
    "grade",
    "disability_category",
    "prescribed_minutes",
    "provided_minutes",
]


async def _get(client: GraphQLClient, path: str) -> tuple[int, list[list[str]]]:
    async with client.http() as http:
        response = await http.get(path)
    if response.headers.get("content-type", "").startswith("text/csv"):
        assert response.content.startswith(b"\xef\xbb\xbf"), "CSV downloads carry a BOM"
        return response.status_code, list(
            csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
        )
    return response.status_code, []


async def test_lea_downloads_its_own_students_with_minutes(
    world: World, lea_a1: GraphQLClient
) -> None:
    # given one sampled student with worksheet minutes
    sampled = await SampledStudent.filter(cycle=world.cycle, lea__cds_code=LEA_A1).order_by("ssid")
    await SampledStudent.filter(id=sampled[0].id).update(
        prescribed_minutes=2160, provided_minutes=2000
    )
    # when the LEA downloads its student records
    status, rows = await _get(lea_a1, f"/exports/2024-25/students.csv?lea={LEA_A1}")
    # then every sampled student is there, in SSID order, minutes empty when absent
    assert status == 200
    assert rows[0] == STUDENT_HEADER
    assert [r[0] for r in rows[1:]] == [s.ssid for s in sampled]
    assert rows[1][6:] == ["2160", "2000"] and rows[2][6:] == ["", ""]


async def test_students_csv_failures(
    world: World,
    lea_a1: GraphQLClient,
    selpa_a: GraphQLClient,
    selpa_b: GraphQLClient,
    cde_analyst: GraphQLClient,
    cde_admin: GraphQLClient,
    anonymous: GraphQLClient,
) -> None:
    url = "/exports/2024-25/students.csv?lea="
    # another tenant's LEA is answered like a missing one
    assert (await _get(lea_a1, url + LEA_B1))[0] == 404
    assert (await _get(lea_a1, url + "99999999999999"))[0] == 404
    assert (await _get(selpa_b, url + LEA_A1))[0] == 404
    assert (await _get(lea_a1, "/exports/2023-24/students.csv?lea=" + LEA_A1))[0] == 404
    # the SELPA and CDE administrators see the LEA's students
    assert (await _get(selpa_a, url + LEA_A2))[0] == 200
    assert (await _get(cde_admin, url + LEA_B1))[0] == 200
    # the analyst may not see student PII
    assert (await _get(cde_analyst, url + LEA_A1))[0] == 403
    # malformed codes, no token and a dead token
    assert (await _get(selpa_a, url + "12345"))[0] == 400
    assert (await _get(anonymous, url + LEA_A1))[0] == 401
    dead = GraphQLClient(anonymous.app, token="not-a-live-token")
    assert (await _get(dead, url + LEA_A1))[0] == 401


async def test_leas_csv_is_scoped_per_role(
    world: World,
    selpa_a: GraphQLClient,
    lea_a1: GraphQLClient,
    cde_analyst: GraphQLClient,
    cde_admin: GraphQLClient,
    anonymous: GraphQLClient,
) -> None:
    status, rows = await _get(selpa_a, "/exports/2024-25/leas.csv?selpa=1001")
    assert status == 200 and rows[0][0] == "cds_code" and len(rows[0]) == 16
    assert [r[0] for r in rows[1:]] == [LEA_A1, LEA_A2]
    assert (await _get(selpa_a, "/exports/2024-25/leas.csv?selpa=2002"))[0] == 404
    assert [r[0] for r in (await _get(lea_a1, "/exports/2024-25/leas.csv"))[1][1:]] == [LEA_A1]
    status, rows = await _get(cde_analyst, "/exports/2024-25/leas.csv")
    assert status == 200 and len(rows) == 5
    assert (await _get(cde_admin, "/exports/2024-25/leas.csv?selpa=12"))[0] == 400
    assert (await _get(anonymous, "/exports/2024-25/leas.csv"))[0] == 401


async def test_worksheet_differs_when_complete_and_not_matching(
    world: World, cde_admin: GraphQLClient
) -> None:
    # given LEA A2 with minutes for every sampled student, and saved counts that match
    sampled = await SampledStudent.filter(cycle=world.cycle, lea__cds_code=LEA_A2).order_by("ssid")
    derived = dict.fromkeys(Category, 0)
    for i, row in enumerate(sampled):
        provided = (2160, 2000, 1000)[i % 3]
        await SampledStudent.filter(id=row.id).update(
            prescribed_minutes=2160, provided_minutes=provided
        )
        derived[category(provided, 2160)] += 1
    await Submission.filter(cycle=world.cycle, lea__cds_code=LEA_A2).update(
        status=SubmissionStatus.DRAFT,
        count_a=derived[Category.A],
        count_b=derived[Category.B],
        count_c=derived[Category.C],
    )
    url = "/exports/2024-25/leas.csv"
    rows = {r[0]: r for r in (await _get(cde_admin, url))[1][1:]}
    assert rows[LEA_A2][15] == "false" and rows[LEA_A1][15] == ""
    assert rows[LEA_A2][9] == str(len(sampled)) and rows[LEA_A2][5] == "DRAFT"
    # when the saved counts stop matching the worksheet
    await Submission.filter(cycle=world.cycle, lea__cds_code=LEA_A2).update(
        count_a=derived[Category.A] + 1, count_c=derived[Category.C] - 1
    )
    rows = {r[0]: r for r in (await _get(cde_admin, url))[1][1:]}
    assert rows[LEA_A2][15] == "true"
