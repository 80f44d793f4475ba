"""``POST /imports/{cycle}/roster.csv``: CDE loads a late LEA's roster over HTTP while the cycle
is OPEN; rows of LEAs that have a sample are refused by line; other roles may not."""

from __future__ import annotations

import httpx

from models import RosterStudent
from resolvers.cycles.roster_missing import roster_missing
from tests.support.clients import GraphQLClient
from tests.support.factories import LEA_A1, World, make_lea

LATE = "10000000000099"
HEADER = "cds_code,ssid,first_name,last_name,birth_date,grade,disability_category\r\n"


def _file(rows: list[tuple[str, int]]) -> bytes:
    body = "".join(f"{cds},{ssid:010d},Ana,Late,2014-05-01,05,SLD\r\n" for cds, ssid in rows)
    return (HEADER + body).encode()


async def _post(client: GraphQLClient, body: bytes, media: str = "text/csv") -> httpx.Response:
    async with client.http() as http:
        return await http.post(
            f"/imports/{CYCLE}/roster.csv", content=body, headers={"content-type": media}
        )


CYCLE = "2024-25"


async def test_cde_loads_a_late_roster_and_a_mixed_file_changes_nothing(
    world: World, cde_admin: GraphQLClient
) -> None:
    # given an OPEN cycle with an LEA added late and no roster for it
    await make_lea(world.cycle, LATE, world.selpa_a, 0, declared_none=False)
    late = [(LATE, 7_000_000_000 + i) for i in range(12)]
    # when the file also lists a student of an LEA that has its sample
    refused = await _post(cde_admin, _file([*late, (LEA_A1, 7_100_000_000)]))
    # then it is refused by line and column, and nothing is stored
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "INVALID_INPUT"
    assert [(r["line"], r["column"]) for r in error["rows"]] == [(14, "cds_code")]
    assert await RosterStudent.filter(lea__cds_code=LATE).count() == 0
    # when the file lists only the late LEA, it loads and the LEA is no longer missing
    loaded = await _post(cde_admin, _file(late))
    assert loaded.status_code == 200, loaded.text
    assert (loaded.json()["inserted"], loaded.json()["leasChanged"]) == (12, 1)
    assert await roster_missing(world.cycle.id) == []


async def test_only_a_cde_administrator_may_load_a_roster(
    world: World,
    cde_analyst: GraphQLClient,
    selpa_a: GraphQLClient,
    lea_a1: GraphQLClient,
    anonymous: GraphQLClient,
) -> None:
    body = _file([(LEA_A1, 7_200_000_000)])
    for caller in (cde_analyst, selpa_a, lea_a1):
        answer = await _post(caller, body)
        assert (answer.status_code, answer.json()["error"]["code"]) == (403, "FORBIDDEN")
    answer = await _post(anonymous, body)
    assert (answer.status_code, answer.json()["error"]["code"]) == (401, "UNAUTHENTICATED")
    assert await RosterStudent.filter(ssid="7200000000").count() == 0


async def test_a_bad_cycle_a_foreign_type_and_an_oversized_body_are_refused(
    world: World, cde_admin: GraphQLClient
) -> None:
    async with cde_admin.http() as http:
        bad = await http.post("/imports/2024/roster.csv", content=b"x")
        assert (bad.status_code, bad.json()["error"]["field"]) == (400, "cycle")
        huge = await http.post(
            f"/imports/{CYCLE}/roster.csv",
            content=b"x",
            headers={"content-type": "text/csv", "content-length": str(65 * 1_048_576)},
        )
        assert huge.status_code == 413
    pdf = await _post(cde_admin, b"%PDF", "application/pdf")
    assert pdf.status_code == 415
