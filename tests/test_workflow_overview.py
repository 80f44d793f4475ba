"""The SELPA overview (seed Images C and E) in constant SQL, the audit log for CDE, and opening
and closing a cycle."""

from __future__ import annotations

from datetime import UTC, datetime

from models import Cycle, LeaCycle
from models.shared.enums import CycleStatus, SubmissionStatus
from resolvers.cycles.draw_sample import draw_cycle_samples
from tests.support.clients import GraphQLClient
from tests.support.factories import LEA_A1, SELPA_A, FakeClock, World, make_lea
from tests.support.sqlcount import count_sql
from tests.support.workflow_support import CLOSE_CYCLE, CYCLE, OPEN_CYCLE, force_state

OVERVIEW = """query($c: String!, $s: String!) { selpa(cycle: $c, code: $s) { name code
  leaStatusCounts { notStarted draft submitted approved rejected exempt required }
  leas(first: 100) { totalCount edges { node { name cdsCode contactEmail dueAt
    submission { status approvedAt submitter { email } events { action at } } } } } } }"""

AUDIT = """query($c: String, $a: String, $f: Int, $after: String) {
  auditEvents(cycle: $c, action: $a, first: $f, after: $after) { totalCount
    pageInfo { hasNextPage endCursor } edges { node { action target actorRole cycle } } } }"""


async def _overview_statements(client: GraphQLClient) -> tuple[int, int]:
    with count_sql() as statements:
        result = await client.execute(OVERVIEW, c=CYCLE, s=SELPA_A)
    assert not result.errors, result.errors
    return len(statements), len(result.data["selpa"]["leas"]["edges"])


async def test_the_selpa_overview_runs_a_constant_number_of_statements(
    world: World, clock: FakeClock, selpa_a: GraphQLClient
) -> None:
    # given the SELPA's two LEAs, one approved
    await force_state(world.lea_a1, SubmissionStatus.APPROVED, (15, 3, 2))
    few, shown = await _overview_statements(selpa_a)
    assert shown == 2
    # when twelve more LEAs join it, in several statuses
    await Cycle.filter(id=world.cycle.id).update(status=CycleStatus.DRAFT)
    for i in range(12):
        await make_lea(world.cycle, f"1000000000{i + 10:04d}", world.selpa_a, 5 + i)
    await world.cycle.refresh_from_db()
    await draw_cycle_samples(world.cycle, clock())
    await Cycle.filter(id=world.cycle.id).update(status=CycleStatus.OPEN)
    for i, status in enumerate([SubmissionStatus.DRAFT, SubmissionStatus.SUBMITTED] * 3):
        membership = await LeaCycle.get(lea__cds_code=f"1000000000{i + 10:04d}")
        await force_state(membership, status, (1, 1, 1))
    many, shown = await _overview_statements(selpa_a)
    # then the overview costs the same number of statements
    assert shown == 14
    assert many == few


async def test_the_overview_shows_status_contact_and_approval_date(
    world: World, selpa_a: GraphQLClient
) -> None:
    approved_at = datetime(2025, 5, 20, 17, 30, tzinfo=UTC)
    await force_state(world.lea_a1, SubmissionStatus.APPROVED, (15, 3, 2), reviewed_at=approved_at)
    await force_state(world.lea_a2, SubmissionStatus.REJECTED, (8, 2, 2), reviewed_at=approved_at)
    result = await selpa_a.execute(
        "query($c: String!, $s: String!) { selpa(cycle: $c, code: $s) { leas(status: APPROVED) "
        "{ edges { node { cdsCode contactEmail submission { status approvedAt } } } } } }",
        c=CYCLE,
        s=SELPA_A,
    )
    [node] = [e["node"] for e in result.data["selpa"]["leas"]["edges"]]
    assert node["cdsCode"] == LEA_A1
    assert node["contactEmail"] == world.lea_a1.contact_email
    assert node["submission"]["status"] == "APPROVED"
    assert node["submission"]["approvedAt"] == "2025-05-20T10:30:00-07:00"


async def test_audit_events_filter_and_page(
    world: World, cde_analyst: GraphQLClient, lea_a1: GraphQLClient
) -> None:
    # given three saves by the LEA
    for count in (1, 2, 3):
        await lea_a1.execute(
            "mutation($i: SaveCountsInput!) { saveCounts(input: $i) { userErrors { code } } }",
            i={"cycle": CYCLE, "cdsCode": LEA_A1, "countA": count, "countB": 0, "countC": 0},
        )
    # when CDE pages through them two at a time
    first = await cde_analyst.execute(AUDIT, c=CYCLE, a="submission.save", f=2)
    page = first.data["auditEvents"]
    assert page["totalCount"] == 3
    assert page["pageInfo"]["hasNextPage"] is True
    assert [e["node"] for e in page["edges"]] == [
        {"action": "submission.save", "target": LEA_A1, "actorRole": "LEA", "cycle": CYCLE}
    ] * 2
    rest = await cde_analyst.execute(
        AUDIT, c=CYCLE, a="submission.save", f=2, after=page["pageInfo"]["endCursor"]
    )
    assert len(rest.data["auditEvents"]["edges"]) == 1
    assert rest.data["auditEvents"]["pageInfo"]["hasNextPage"] is False
    # then other cycles show none, and a bad cursor is refused naming it
    other = await cde_analyst.execute(AUDIT, c="2030-31", a="submission.save")
    assert other.data["auditEvents"]["totalCount"] == 0
    bad = await cde_analyst.execute(AUDIT, after="bm90LWEtY3Vyc29y")
    assert bad.codes == ["INVALID_INPUT"]
    assert bad.errors[0]["extensions"]["field"] == "after"


async def test_audit_events_are_for_cde_staff_only(
    world: World, selpa_a: GraphQLClient, lea_a1: GraphQLClient, anonymous: GraphQLClient
) -> None:
    for client, code in (
        (selpa_a, "FORBIDDEN"),
        (lea_a1, "FORBIDDEN"),
        (anonymous, "UNAUTHENTICATED"),
    ):
        result = await client.execute(AUDIT)
        assert result.codes == [code]


async def test_a_cycle_opens_only_when_every_required_lea_is_ready_and_then_closes(
    world: World, clock: FakeClock, cde_admin: GraphQLClient
) -> None:
    # given a draft cycle with an LEA that has no SELPA and no sample
    await Cycle.filter(id=world.cycle.id).update(status=CycleStatus.DRAFT)
    await make_lea(world.cycle, "30000000000001", None, 5)
    # when CDE tries to open it, it is refused naming the LEA
    refused = (await cde_admin.execute(OPEN_CYCLE, n=CYCLE)).data["openCycle"]
    assert [e["code"] for e in refused["userErrors"]] == ["INVALID_STATE"]
    assert "30000000000001" in refused["userErrors"][0]["message"]
    assert refused["cycle"]["status"] == "DRAFT"
    # when the LEA gets a SELPA and a sample, it opens
    await LeaCycle.filter(lea__cds_code="30000000000001").update(selpa_id=world.selpa_a.id)
    await world.cycle.refresh_from_db()
    await draw_cycle_samples(world.cycle, clock())
    opened = (await cde_admin.execute(OPEN_CYCLE, n=CYCLE)).data["openCycle"]
    assert opened == {"cycle": {"name": CYCLE, "status": "OPEN"}, "userErrors": []}
    again = (await cde_admin.execute(OPEN_CYCLE, n=CYCLE)).data["openCycle"]
    assert [e["code"] for e in again["userErrors"]] == ["INVALID_STATE"]
    # and then closes, once
    closed = (await cde_admin.execute(CLOSE_CYCLE, n=CYCLE)).data["closeCycle"]
    assert closed == {"cycle": {"name": CYCLE, "status": "CLOSED"}, "userErrors": []}
    twice = (await cde_admin.execute(CLOSE_CYCLE, n=CYCLE)).data["closeCycle"]
    assert [e["code"] for e in twice["userErrors"]] == ["INVALID_STATE"]
    log = await cde_admin.execute(AUDIT, c=CYCLE)
    actions = [e["node"]["action"] for e in log.data["auditEvents"]["edges"]]
    assert actions[:2] == ["cycle.close", "cycle.open"]
