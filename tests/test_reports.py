"""Reports (SPEC §3.8): a hand-worked cycle, scoping, constant SQL, publication and CSV.

The cycle (the ``world`` fixture, due 2025-06-30 23:59 Pacific = 2025-07-01 06:59 UTC):

| LEA | SELPA / county | status | A / B / C | first submitted (Pacific) | due |
|---|---|---|---|---|---|
| A1 10000000000001 | 1001 / 10 Fresno | APPROVED | 40 / 12 / 3 | 06-30 23:59:59 (on time) | cycle |
| A2 10000000000002 | 1001 / 10 Fresno | SUBMITTED | 15 / 2 / 1 | 07-01 00:00:00 (late) | cycle |
| B1 20000000000001 | 2002 / 20 Madera | APPROVED | 20 / 11 / 14 | 07-10 23:59:30 (ok) | 07-10 |
| B2 20000000000002 | 2002 / 20 Madera | exempt | — | — | cycle |
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from tortoise.context import TortoiseContext

from models import AuditEvent, LeaCycle, PublishedReport, Submission
from models.shared.deadlines import pacific_minute
from models.shared.enums import SubmissionStatus
from tests.support.clients import GraphQLClient
from tests.support.factories import World, make_lea
from tests.support.interval_attacker import unprotected
from tests.support.sqlcount import count_sql

A1, A2 = "10000000000001", "10000000000002"
B1, B2 = "20000000000001", "20000000000002"

REPORT = """
query($g: ReportGrouping!, $s: [SubmissionStatus!], $c: String! = "2024-25") {
  report(cycle: $c, groupBy: $g, statuses: $s) {
    groupBy key label county selpaCode
    leaCounts { required exempt notStarted draft submitted approved rejected }
    students { countA countB countC total
      shareA { numerator denominator percent }
      shareB { numerator denominator percent }
      shareC { numerator denominator percent } }
    responseRate { numerator denominator percent }
    timeliness { numerator denominator percent }
    extensionsGranted
  }
}
"""

PUBLIC = """
query($g: ReportGrouping!) {
  publicReport(cycle: "2024-25", groupBy: $g) {
    groupBy key label county selpaCode suppressed reason publishedAt
    status approvedAt dueAt exemptLeas
    countA { value percent suppressed reason percentSuppressedReason }
    countB { value percent suppressed reason percentSuppressedReason }
    countC { value percent suppressed reason percentSuppressedReason }
    total { value percent suppressed reason percentSuppressedReason }
  }
}
"""

PUBLISH = """
mutation($c: String!) { publishResults(cycle: $c) { publishedAt userErrors { field code } } }
"""


async def _set(
    world: World,
    membership: LeaCycle,
    status: SubmissionStatus,
    counts: tuple[int, int, int] | None = None,
    first_submitted_at: datetime | None = None,
) -> None:
    a, b, c = counts or (None, None, None)
    await Submission.filter(cycle_id=world.cycle.id, lea_id=membership.lea_id).update(  # type: ignore[attr-defined]
        status=status, count_a=a, count_b=b, count_c=c, first_submitted_at=first_submitted_at
    )


@pytest.fixture
async def scenario(world: World) -> World:
    await _set(
        world,
        world.lea_a1,
        SubmissionStatus.APPROVED,
        (40, 12, 3),
        datetime(2025, 7, 1, 6, 59, 59, tzinfo=UTC),
    )
    await _set(
        world,
        world.lea_a2,
        SubmissionStatus.SUBMITTED,
        (15, 2, 1),
        datetime(2025, 7, 1, 7, 0, tzinfo=UTC),
    )
    await LeaCycle.filter(id=world.lea_b1.id).update(
        due_at_extension=pacific_minute(date(2025, 7, 10))
    )
    await _set(
        world,
        world.lea_b1,
        SubmissionStatus.APPROVED,
        (20, 11, 14),
        datetime(2025, 7, 11, 6, 59, 30, tzinfo=UTC),
    )
    return world


def rate(numerator: int, denominator: int, percent: str | None) -> dict[str, Any]:
    return {"numerator": numerator, "denominator": denominator, "percent": percent}


def rows_by_key(result: Any) -> dict[str, dict[str, Any]]:
    assert not result.errors, result.errors
    return {row["key"]: row for row in result.data["report"]}


async def test_state_row_is_worked_out_by_hand(scenario: World, cde_admin: GraphQLClient) -> None:
    # when
    rows = rows_by_key(await cde_admin.execute(REPORT, g="STATE"))
    # then: three required LEAs, B2 exempt; students of the two APPROVED LEAs only
    assert list(rows) == ["CA"]
    state = rows["CA"]
    assert state["label"] == "California" and state["groupBy"] == "STATE"
    assert state["leaCounts"] == {
        "required": 3, "exempt": 1, "notStarted": 0, "draft": 0,
        "submitted": 1, "approved": 2, "rejected": 0,
    }  # fmt: skip
    assert state["students"] == {
        "countA": 60, "countB": 23, "countC": 17, "total": 100,
        "shareA": rate(60, 100, "60.00"), "shareB": rate(23, 100, "23.00"),
        "shareC": rate(17, 100, "17.00"),
    }  # fmt: skip
    # submitted = SUBMITTED or APPROVED: 3 of 3 required; on time: A1 (23:59:59 is still in
    # the due minute) and B1 (inside its extension's minute), not A2 (00:00:00): 2 of 3
    assert state["responseRate"] == rate(3, 3, "100.00")
    assert state["timeliness"] == rate(2, 3, "66.67")
    assert state["extensionsGranted"] == 1


async def test_selpa_county_and_lea_rows_are_worked_out_by_hand(
    scenario: World, cde_analyst: GraphQLClient
) -> None:
    # when an analyst asks (CDE roles see every group)
    selpas = rows_by_key(await cde_analyst.execute(REPORT, g="SELPA"))
    counties = rows_by_key(await cde_analyst.execute(REPORT, g="COUNTY"))
    leas = rows_by_key(await cde_analyst.execute(REPORT, g="LEA"))
    # then: SELPA 1001 counts A1's approved 40/12/3 of 55: 72.727… → 72.73, 21.818… → 21.82,
    # 5.454… → 5.45; one of its two submitted LEAs was on time
    a = selpas["1001"]
    assert a["label"] == "SELPA 1001"
    assert a["students"]["shareA"] == rate(40, 55, "72.73")
    assert a["students"]["shareB"] == rate(12, 55, "21.82")
    assert a["students"]["shareC"] == rate(3, 55, "5.45")
    assert a["responseRate"] == rate(2, 2, "100.00")
    assert a["timeliness"] == rate(1, 2, "50.00")
    assert a["extensionsGranted"] == 0
    # SELPA 2002: B1's 20/11/14 of 45 → 44.44, 24.44, 31.11; B2 exempt, in neither rate
    b = selpas["2002"]
    assert b["leaCounts"]["required"] == 1 and b["leaCounts"]["exempt"] == 1
    assert b["students"]["shareA"] == rate(20, 45, "44.44")
    assert b["students"]["shareB"] == rate(11, 45, "24.44")
    assert b["students"]["shareC"] == rate(14, 45, "31.11")
    assert b["responseRate"] == rate(1, 1, "100.00")
    assert b["timeliness"] == rate(1, 1, "100.00")
    assert b["extensionsGranted"] == 1
    # counties 10 and 20 hold the same LEAs here
    assert {k: r["label"] for k, r in counties.items()} == {"10": "Fresno", "20": "Madera"}
    assert counties["10"]["students"] == a["students"]
    # A2: nothing approved, so its shares have no denominator: null, not 0; late
    assert leas[A2]["students"]["total"] == 0
    assert leas[A2]["students"]["shareA"] == rate(0, 0, None)
    assert leas[A2]["timeliness"] == rate(0, 1, "0.00")
    assert (leas[A2]["county"], leas[A2]["selpaCode"]) == ("10", "1001")
    # B2: exempt, so neither rate has a denominator
    assert leas[B2]["leaCounts"]["exempt"] == 1
    assert leas[B2]["responseRate"] == rate(0, 0, None)
    assert leas[B2]["timeliness"] == rate(0, 0, None)


async def test_statuses_widen_the_student_counts_only(
    scenario: World, cde_admin: GraphQLClient
) -> None:
    # when
    default = rows_by_key(await cde_admin.execute(REPORT, g="STATE"))["CA"]
    wide = rows_by_key(await cde_admin.execute(REPORT, g="STATE", s=["APPROVED", "SUBMITTED"]))[
        "CA"
    ]
    # then: A2's 15/2/1 join; nothing else moves
    assert wide["students"]["total"] == 118
    assert wide["students"]["shareA"] == rate(75, 118, "63.56")
    for field in ("leaCounts", "responseRate", "timeliness", "extensionsGranted"):
        assert wide[field] == default[field]


async def test_empty_statuses_and_malformed_cycles_are_refused(
    scenario: World, cde_admin: GraphQLClient
) -> None:
    empty = await cde_admin.execute(REPORT, g="STATE", s=[])
    malformed = await cde_admin.execute(REPORT, g="STATE", c="2024")
    assert empty.codes == ["INVALID_INPUT"]
    assert empty.errors[0]["extensions"]["field"] == "statuses"
    assert malformed.codes == ["INVALID_INPUT"]


async def test_unknown_cycle_has_no_rows(scenario: World, cde_admin: GraphQLClient) -> None:
    result = await cde_admin.execute(REPORT, g="STATE", c="2030-31")
    assert not result.errors and result.data["report"] == []


async def test_selpa_sees_only_its_own_groups(scenario: World, selpa_a: GraphQLClient) -> None:
    # when
    selpas = rows_by_key(await selpa_a.execute(REPORT, g="SELPA"))
    leas = rows_by_key(await selpa_a.execute(REPORT, g="LEA"))
    state = rows_by_key(await selpa_a.execute(REPORT, g="STATE"))["CA"]
    # then: its SELPA, its LEAs, and a state row over its own LEAs only
    assert list(selpas) == ["1001"]
    assert list(leas) == [A1, A2]
    assert state["leaCounts"]["required"] == 2
    assert state["students"]["total"] == 55


async def test_lea_sees_only_itself(scenario: World, lea_b1: GraphQLClient) -> None:
    leas = rows_by_key(await lea_b1.execute(REPORT, g="LEA"))
    selpas = rows_by_key(await lea_b1.execute(REPORT, g="SELPA"))
    assert list(leas) == [B1]
    assert list(selpas) == ["2002"]
    assert selpas["2002"]["leaCounts"]["exempt"] == 0  # B2 is not B1's to see
    assert selpas["2002"]["students"]["total"] == 45


async def test_anonymous_may_not_read_live_reports(
    scenario: World, anonymous: GraphQLClient
) -> None:
    result = await anonymous.execute(REPORT, g="STATE")
    assert result.codes == ["UNAUTHENTICATED"]


async def test_report_sql_does_not_grow_with_the_leas(
    scenario: World, cde_admin: GraphQLClient
) -> None:
    # given the report read with 4 LEAs (once before, so that its cycle's id is known)
    await cde_admin.execute(REPORT, g="STATE")
    with count_sql() as few:
        before = await cde_admin.execute(REPORT, g="LEA")
    # when 6 more LEAs join
    for i in range(6):
        await make_lea(scenario.cycle, f"3000000000000{i}", scenario.selpa_b, 0)
    with count_sql() as many:
        after = await cde_admin.execute(REPORT, g="LEA")
    # then
    assert len(before.data["report"]) == 4 and len(after.data["report"]) == 10
    assert len(few) == len(many), (few, many)


# --- publication -------------------------------------------------------------------------


async def test_only_a_cde_admin_publishes(
    scenario: World,
    anonymous: GraphQLClient,
    cde_analyst: GraphQLClient,
    selpa_a: GraphQLClient,
    lea_a1: GraphQLClient,
) -> None:
    assert (await anonymous.execute(PUBLISH, c="2024-25")).codes == ["UNAUTHENTICATED"]
    for client in (cde_analyst, selpa_a, lea_a1):
        assert (await client.execute(PUBLISH, c="2024-25")).codes == ["FORBIDDEN"]
    assert await PublishedReport.all().count() == 0


async def test_publishing_an_unknown_or_malformed_cycle_is_a_user_error(
    scenario: World, cde_admin: GraphQLClient
) -> None:
    unknown = (await cde_admin.execute(PUBLISH, c="2030-31")).data["publishResults"]
    malformed = (await cde_admin.execute(PUBLISH, c="next")).data["publishResults"]
    assert unknown["userErrors"] == [{"field": ["cycle"], "code": "NOT_FOUND"}]
    assert malformed["userErrors"] == [{"field": ["cycle"], "code": "INVALID_INPUT"}]
    assert await PublishedReport.all().count() == 0


def cells(rows: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    names = {"countA": "A", "countB": "B", "countC": "C", "total": "TOTAL"}
    return {(row["key"], m): row[field] for row in rows for field, m in names.items()}


async def test_anonymous_reads_only_the_published_snapshot(
    scenario: World, cde_admin: GraphQLClient, anonymous: GraphQLClient
) -> None:
    # given nothing published yet, A1 approved on 2025-07-02 10:00 Pacific
    assert (await anonymous.execute(PUBLIC, g="STATE")).data["publicReport"] == []
    await Submission.filter(cycle_id=scenario.cycle.id, lea_id=scenario.lea_a1.lea_id).update(  # type: ignore[attr-defined]
        reviewed_at=datetime(2025, 7, 2, 17, 0, tzinfo=UTC)
    )
    # when CDE publishes
    published = (await cde_admin.execute(PUBLISH, c="2024-25")).data["publishResults"]
    assert published["userErrors"] == [] and published["publishedAt"]
    # then anonymous reads it
    grouped = {}
    for g in ("STATE", "COUNTY", "SELPA", "LEA"):
        result = await anonymous.execute(PUBLIC, g=g)
        assert not result.errors, result.errors
        grouped[g] = result.data["publicReport"]
    leas = cells(grouped["LEA"])
    # A2 (submitted, not approved) is not reported and B2 is exempt: rows of their own, with
    # no counts, never zeros or suppressed zeros
    statuses = {r["key"]: r["status"] for r in grouped["LEA"]}
    assert statuses == {A1: "REPORTED", A2: "NOT_REPORTED", B1: "REPORTED", B2: "EXEMPT"}
    for lea in (A2, B2):
        for m in ("A", "B", "C", "TOTAL"):
            assert leas[(lea, m)] == {
                "value": None, "percent": None, "suppressed": False,
                "reason": None, "percentSuppressedReason": None,
            }  # fmt: skip
    # A1's C = 3 is small: withheld with the one marker; so is the county's and SELPA's
    assert leas[(A1, "C")]["reason"] == "SUPPRESSED"
    assert cells(grouped["COUNTY"])[("10", "C")]["reason"] == "SUPPRESSED"
    assert cells(grouped["SELPA"])[("1001", "C")]["reason"] == "SUPPRESSED"
    every = [c for g in grouped.values() for c in cells(g).values() if c["suppressed"]]
    assert {c["reason"] for c in every} == {"SUPPRESSED"}
    # the snapshot says when the data were obtained: the due time and A1's approval
    row_a1 = next(r for r in grouped["LEA"] if r["key"] == A1)
    assert row_a1["dueAt"].startswith("2025-06-30T23:59")
    assert row_a1["approvedAt"].startswith("2025-07-02T10:00")
    assert next(r for r in grouped["LEA"] if r["key"] == B2)["approvedAt"] is None
    # and the stored snapshot holds counts and percentages only; the independent attacker,
    # knowing A1's and B1's sample sizes (55, 45), narrows no small count below 11 values
    snapshot = (await PublishedReport.get(cycle_id=scenario.cycle.id)).snapshot
    small = {("LEA", A1, "C"), ("COUNTY", "10", "C"), ("SELPA", "1001", "C")}
    assert unprotected(snapshot, {A1: 55, B1: 45}, small) == {}
    assert "ssid" not in str(snapshot).lower()


async def test_a_dry_run_answers_the_audit_and_publishes_nothing(
    scenario: World, cde_admin: GraphQLClient, anonymous: GraphQLClient
) -> None:
    dry_run = """
    mutation { publishResults(cycle: "2024-25", dryRun: true) {
      publishedAt dryRun userErrors { code }
      audit { lpSolves groupings { groupBy published primarySuppressed complementarySuppressed
              smallestIntervalWidth fullRangeCells suppressedStudents students
              informationLoss } } } }
    """
    # when CDE asks for the audit first
    result = await cde_admin.execute(dry_run)
    # then it is answered per grouping, and nothing is published
    assert not result.errors, result.errors
    payload = result.data["publishResults"]
    assert payload["dryRun"] is True and payload["publishedAt"] is None
    by = {g["groupBy"]: g for g in payload["audit"]["groupings"]}
    assert set(by) == {"STATE", "COUNTY", "SELPA", "LEA"}
    # two reported LEAs (A1, B1): 8 LEA cells; A1's C = 3 is the one small LEA count
    lea = by["LEA"]
    assert lea["published"] + lea["primarySuppressed"] + lea["complementarySuppressed"] == 8
    assert lea["primarySuppressed"] == 1 and lea["students"] == 100
    assert lea["smallestIntervalWidth"] >= 11
    assert await PublishedReport.all().count() == 0
    assert (await anonymous.execute(PUBLIC, g="STATE")).data["publicReport"] == []
    # and publishing stores the same audit with the snapshot
    await cde_admin.execute(PUBLISH, c="2024-25")
    stored = (await PublishedReport.get(cycle_id=scenario.cycle.id)).audit
    assert stored is not None and stored["groupings"]["LEA"]["primarySuppressed"] == 1


async def test_publishing_again_replaces_the_snapshot_and_is_audited(
    scenario: World, cde_admin: GraphQLClient, anonymous: GraphQLClient
) -> None:
    # given a first publication
    await cde_admin.execute(PUBLISH, c="2024-25")
    # when A2 is approved and CDE publishes again
    await _set(scenario, scenario.lea_a2, SubmissionStatus.APPROVED, (15, 2, 1))
    again = (await cde_admin.execute(PUBLISH, c="2024-25")).data["publishResults"]
    # then one snapshot, the new one, and two audit entries
    assert again["userErrors"] == []
    assert await PublishedReport.all().count() == 1
    state = cells((await anonymous.execute(PUBLIC, g="STATE")).data["publicReport"])
    total = state[("CA", "TOTAL")]
    assert total["value"] in (None, 118)
    assert (total["value"] is None) == total["suppressed"]
    events = await AuditEvent.filter(action="results.published").order_by("id")
    assert [e.detail["republished"] for e in events] == [False, True]
    snapshot = (await PublishedReport.get(cycle_id=scenario.cycle.id)).snapshot
    assert snapshot["groupings"]["STATE"][0]["cells"]["TOTAL"]["value"] in (None, 118)
    assert (
        unprotected(snapshot, {A1: 55, A2: 18, B1: 45}, {("LEA", A1, "C"), ("LEA", A2, "C")}) == {}
    )


async def test_simultaneous_first_publications_both_succeed_one_after_the_other(
    scenario: World, cde_admin: GraphQLClient, app: Starlette
) -> None:
    # given a second CDE administrator session and nothing published yet
    other = GraphQLClient(app)
    await other.login(scenario.codes["CDE_ADMIN"])
    # when both publish the same cycle at the same moment
    results = await asyncio.gather(
        *(client.execute(PUBLISH, c="2024-25") for client in (cde_admin, other, cde_admin))
    )
    # then every one succeeded, in turn: one snapshot, the first a publication, the rest
    # replacements
    assert [r.errors for r in results] == [[], [], []]
    assert all(r.data["publishResults"]["userErrors"] == [] for r in results)
    assert await PublishedReport.all().count() == 1
    events = await AuditEvent.filter(action="results.published").order_by("id")
    assert [e.detail["republished"] for e in events] == [False, True, True]


# --- CSV ---------------------------------------------------------------------------------


async def _get(app: Starlette, path: str, token: str | None) -> httpx.Response:
    headers = {"authorization": f"Bearer {token}"} if token is not None else {}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        return await client.get(path, headers=headers)


async def test_csv_report_for_cde_tools(
    scenario: World, app: Starlette, cde_analyst: GraphQLClient
) -> None:
    # when
    response = await _get(app, "/exports/2024-25/report.csv?groupBy=SELPA", cde_analyst.token)
    # then
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.text.splitlines()
    header = lines[0].split(",")
    rows = [dict(zip(header, line.split(","), strict=True)) for line in lines[1:]]
    assert [r["key"] for r in rows] == ["1001", "2002"]
    assert rows[0]["percent_a"] == "72.73" and rows[0]["total"] == "55"
    assert rows[0]["timeliness"] == "50.00" and rows[1]["extensions_granted"] == "1"
    wide = await _get(
        app,
        "/exports/2024-25/report.csv?groupBy=STATE&statuses=APPROVED,SUBMITTED",
        cde_analyst.token,
    )
    assert wide.text.splitlines()[1].split(",")[15] == "118"


async def test_csv_report_failures(
    scenario: World, app: Starlette, cde_admin: GraphQLClient, selpa_a: GraphQLClient
) -> None:
    path = "/exports/2024-25/report.csv?groupBy=LEA"
    assert (await _get(app, path, None)).status_code == 401
    assert (await _get(app, path, "not-a-live-token")).status_code == 401
    assert (await _get(app, path, selpa_a.token)).status_code == 403
    bad_group = "/exports/2024-25/report.csv?groupBy=DISTRICT"
    assert (await _get(app, bad_group, cde_admin.token)).status_code == 400
    bad_status = "/exports/2024-25/report.csv?groupBy=LEA&statuses=DONE"
    assert (await _get(app, bad_status, cde_admin.token)).status_code == 400
    unknown = "/exports/2030-31/report.csv?groupBy=LEA"
    assert (await _get(app, unknown, cde_admin.token)).status_code == 404


async def test_report_reads_no_live_data_for_the_public(
    db: TortoiseContext, scenario: World, anonymous: GraphQLClient
) -> None:
    # an unpublished cycle answers an empty list to everyone, never live figures
    for g in ("STATE", "LEA"):
        result = await anonymous.execute(PUBLIC, g=g)
        assert not result.errors and result.data["publicReport"] == []
