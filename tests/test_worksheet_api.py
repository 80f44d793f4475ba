"""``recordMinutes``, ``Lea.worksheet`` and ``applyWorksheetCounts`` through the graph."""

from __future__ import annotations

from datetime import timedelta

import pytest
from starlette.applications import Starlette

from models import AuditEvent, Cycle, SampledStudent, SubmissionEvent
from models.shared.enums import CycleStatus, SubmissionStatus
from models.worksheet.rules import MinutesEntry
from resolvers.worksheet.counts import derived_counts
from resolvers.worksheet.record_minutes import RecordMinutes, record_minutes
from tests.support.clients import GraphQLClient
from tests.support.factories import DUE, LEA_A1, LEA_A2, LEA_B1, FakeClock, World
from tests.support.workflow_support import (
    SAVE,
    force_state,
    lea_principal,
    save_input,
    submission_of,
)
from tests.support.worksheet_support import (
    APPLY,
    COUNTS_ONLY,
    CYCLE,
    RECORD,
    WINDOW,
    WORKSHEET,
    entry,
    minutes_of,
    record_input,
    sample_ssids,
)

VECTORS = [
    (2160, 2000, "92.59", "B"),
    (2160, 2052, "95.00", "A"),
    (2160, 2051, "94.95", "B"),
    (2160, 1944, "90.00", "B"),
    (2160, 1943, "89.95", "C"),
    (2160, 2400, "111.11", "A"),
]


def user_codes(payload: dict[str, object]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]  # type: ignore[attr-defined, index]


async def signed_in(app: Starlette, code: str) -> GraphQLClient:
    client = GraphQLClient(app)
    await client.login(code)
    assert client.token
    return client


async def test_spec_vectors_through_the_api(world: World, lea_a1: GraphQLClient) -> None:
    # given the LEA's first six sampled students
    ssids = (await sample_ssids(world, LEA_A1))[: len(VECTORS)]
    entries = [entry(s, p, q) for s, (p, q, _, _) in zip(ssids, VECTORS, strict=True)]
    # when the LEA records their minutes
    result = await lea_a1.execute(RECORD, i=record_input(LEA_A1, entries))
    # then they are accepted, and each student shows the rate and category of SPEC §3.4
    payload = result.data["recordMinutes"]
    assert payload["userErrors"] == []
    assert payload["worksheet"]["countA"] == 2 and payload["worksheet"]["countB"] == 3
    assert payload["worksheet"]["countC"] == 1 and payload["worksheet"]["missing"] == 20 - 6
    sheet = (await lea_a1.execute(WORKSHEET, cds=LEA_A1)).data["lea"]["worksheet"]
    rows = {r["ssid"]: r for r in sheet["rows"]}
    assert len(rows) == 20 and sheet["windowMinutes"] == WINDOW
    for ssid, (prescribed, provided, rate, category) in zip(ssids, VECTORS, strict=True):
        assert rows[ssid] == {
            "ssid": ssid,
            "prescribedMinutes": prescribed,
            "providedMinutes": provided,
            "ratePercent": rate,
            "category": category,
        }
    empty = [r for r in sheet["rows"] if r["ssid"] not in ssids]
    assert all(r["ratePercent"] is None and r["category"] is None for r in empty)
    # and the incomplete worksheet differs from nothing
    assert sheet["complete"] is False and sheet["differsFromSaved"] is False


async def test_every_bad_entry_is_named_by_its_index_and_nothing_changes(
    world: World, lea_a1: GraphQLClient
) -> None:
    # given one recorded student
    ssids = await sample_ssids(world, LEA_A1)
    foreign = (await sample_ssids(world, LEA_B1))[0]
    await lea_a1.execute(RECORD, i=record_input(LEA_A1, [entry(ssids[0], 100, 100)]))
    before = await minutes_of(world, LEA_A1)
    # when a batch mixes good entries with bad ones
    entries = [
        entry(ssids[0], 2160, 2000),
        entry(foreign, 2160, 2000),
        entry("0000000000", 2160, 2000),
        entry(ssids[1], 0, WINDOW + 1),
        entry(ssids[2], None, 10),
        entry(ssids[0], 10, 10),
        entry("12345", 10, -1),
        entry(ssids[3], WINDOW, 0),
    ]
    payload = (await lea_a1.execute(RECORD, i=record_input(LEA_A1, entries))).data["recordMinutes"]
    # then every bad cell is reported at once, by path, and no SSID appears in a message
    assert [e["field"] for e in payload["userErrors"]] == [
        ["input", "entries", "1", "ssid"],
        ["input", "entries", "2", "ssid"],
        ["input", "entries", "3", "prescribedMinutes"],
        ["input", "entries", "3", "providedMinutes"],
        ["input", "entries", "4", "prescribedMinutes"],
        ["input", "entries", "5", "ssid"],
        ["input", "entries", "6", "ssid"],
        ["input", "entries", "6", "providedMinutes"],
    ]
    assert set(user_codes(payload)) == {"INVALID_INPUT"}
    # an unknown SSID and another LEA's student get the same answer
    assert (
        payload["userErrors"][1]["message"].replace("[2]", "[1]")
        == (payload["userErrors"][0]["message"])
    )
    messages = " ".join(e["message"] for e in payload["userErrors"])
    assert not any(s in messages for s in [*ssids, foreign, "0000000000"])
    # and nothing changed
    assert await minutes_of(world, LEA_A1) == before


async def test_more_entries_than_the_sample_are_refused(
    world: World, lea_a1: GraphQLClient
) -> None:
    ssids = await sample_ssids(world, LEA_A1)
    entries = [entry(s, 10, 10) for s in ssids] + [entry(ssids[0], 10, 10)]
    payload = (await lea_a1.execute(RECORD, i=record_input(LEA_A1, entries))).data["recordMinutes"]
    assert [e["field"] for e in payload["userErrors"]] == [["input", "entries"]]
    assert all(v == (None, None) for v in (await minutes_of(world, LEA_A1)).values())


async def test_both_null_clears_an_entry(world: World, selpa_a: GraphQLClient) -> None:
    # given two students with minutes, entered by the SELPA for its LEA
    ssids = await sample_ssids(world, LEA_A2)
    first = [entry(ssids[0], 2160, 2000), entry(ssids[1], 2160, 2160)]
    assert (await selpa_a.execute(RECORD, i=record_input(LEA_A2, first))).data["recordMinutes"][
        "userErrors"
    ] == []
    # when one entry is sent with both minutes null
    again = [entry(ssids[0], None, None)]
    payload = (await selpa_a.execute(RECORD, i=record_input(LEA_A2, again))).data["recordMinutes"]
    # then only that entry is cleared
    assert payload["userErrors"] == []
    minutes = await minutes_of(world, LEA_A2)
    assert minutes[ssids[0]] == (None, None) and minutes[ssids[1]] == (2160, 2160)
    assert payload["worksheet"]["countA"] == 1 and payload["worksheet"]["countB"] == 0


async def fill_all(world: World, client: GraphQLClient, cds: str) -> tuple[int, int, int]:
    ssids = await sample_ssids(world, cds)
    pattern = [(2160, 2160), (2160, 2000), (2160, 1000)]
    entries = [entry(s, *pattern[i % 3]) for i, s in enumerate(ssids)]
    payload = (await client.execute(RECORD, i=record_input(cds, entries))).data["recordMinutes"]
    assert payload["userErrors"] == []
    n = len(ssids)
    return (len(range(0, n, 3)), len(range(1, n, 3)), len(range(2, n, 3)))


async def test_apply_copies_the_derived_counts_through_save_counts(
    world: World, lea_a1: GraphQLClient
) -> None:
    # given an incomplete worksheet, applying is refused and changes nothing
    ssids = await sample_ssids(world, LEA_A1)
    await lea_a1.execute(RECORD, i=record_input(LEA_A1, [entry(ssids[0], 10, 10)]))
    refused = (await lea_a1.execute(APPLY, i={"cycle": CYCLE, "cdsCode": LEA_A1})).data[
        "applyWorksheetCounts"
    ]
    assert user_codes(refused) == ["INVALID_STATE"]
    assert (await submission_of(world.lea_a1)).status is SubmissionStatus.NOT_STARTED
    # when every sampled student has minutes and the LEA applies them
    expected = await fill_all(world, lea_a1, LEA_A1)
    sheet = (await lea_a1.execute(COUNTS_ONLY, cds=LEA_A1)).data["lea"]["worksheet"]
    assert sheet["complete"] is True and sheet["differsFromSaved"] is True
    applied = (await lea_a1.execute(APPLY, i={"cycle": CYCLE, "cdsCode": LEA_A1})).data[
        "applyWorksheetCounts"
    ]
    # then the draft holds the derived counts, with a save event in its history
    assert applied["userErrors"] == []
    sub = applied["submission"]
    assert (sub["countA"], sub["countB"], sub["countC"]) == expected
    assert sub["status"] == "DRAFT" and sub["version"] == 1
    row = await submission_of(world.lea_a1)
    events = await SubmissionEvent.filter(submission_id=row.id).values_list("action", flat=True)
    assert events == ["save"]
    sheet = (await lea_a1.execute(COUNTS_ONLY, cds=LEA_A1)).data["lea"]["worksheet"]
    assert sheet["differsFromSaved"] is False
    # and typing other counts makes the difference visible again
    await lea_a1.execute(SAVE, i=save_input(LEA_A1, 20, 0, 0))
    sheet = (await lea_a1.execute(COUNTS_ONLY, cds=LEA_A1)).data["lea"]["worksheet"]
    assert sheet["differsFromSaved"] is True
    # a stale expected version is refused like saveCounts refuses it
    stale = (
        await lea_a1.execute(APPLY, i={"cycle": CYCLE, "cdsCode": LEA_A1, "expectedVersion": 1})
    ).data["applyWorksheetCounts"]
    assert user_codes(stale) == ["VERSION_CONFLICT"]


async def test_counts_for_every_role_rows_only_for_those_who_see_students(
    world: World,
    lea_a1: GraphQLClient,
    selpa_a: GraphQLClient,
    cde_admin: GraphQLClient,
    cde_analyst: GraphQLClient,
) -> None:
    await fill_all(world, lea_a1, LEA_A1)
    for client in (lea_a1, selpa_a, cde_admin, cde_analyst):
        counts = await client.execute(COUNTS_ONLY, cds=LEA_A1)
        assert counts.errors == []
        assert counts.data["lea"]["worksheet"]["complete"] is True
    for client in (lea_a1, selpa_a, cde_admin):
        rows = await client.execute(WORKSHEET, cds=LEA_A1)
        assert len(rows.data["lea"]["worksheet"]["rows"]) == 20
    analyst = await cde_analyst.execute(WORKSHEET, cds=LEA_A1)
    assert analyst.codes == ["FORBIDDEN"]


async def test_another_leas_worksheet_can_never_be_read_or_written(
    world: World, lea_b1: GraphQLClient, selpa_b: GraphQLClient
) -> None:
    ssids = await sample_ssids(world, LEA_A1)
    before = await minutes_of(world, LEA_A1)
    for client in (lea_b1, selpa_b):
        # reading: the foreign LEA is simply absent
        read = await client.execute(WORKSHEET, cds=LEA_A1)
        assert read.errors == [] and read.data["lea"] is None
        # writing: NOT_FOUND, exactly as for a missing LEA
        wrote = await client.execute(RECORD, i=record_input(LEA_A1, [entry(ssids[0], 10, 10)]))
        missing = await client.execute(
            RECORD, i=record_input("99999999999999", [entry(ssids[0], 10, 10)])
        )
        assert user_codes(wrote.data["recordMinutes"]) == ["NOT_FOUND"]
        assert str(wrote.body).replace(LEA_A1, "CDS") == str(missing.body).replace(
            "99999999999999", "CDS"
        )
        applied = await client.execute(APPLY, i={"cycle": CYCLE, "cdsCode": LEA_A1})
        assert user_codes(applied.data["applyWorksheetCounts"]) == ["NOT_FOUND"]
    assert await minutes_of(world, LEA_A1) == before


async def test_cde_roles_may_not_write_minutes(
    world: World, cde_admin: GraphQLClient, cde_analyst: GraphQLClient
) -> None:
    ssids = await sample_ssids(world, LEA_A1)
    for client in (cde_admin, cde_analyst):
        result = await client.execute(RECORD, i=record_input(LEA_A1, [entry(ssids[0], 10, 10)]))
        assert result.codes == ["FORBIDDEN"]
        applied = await client.execute(APPLY, i={"cycle": CYCLE, "cdsCode": LEA_A1})
        assert applied.codes == ["FORBIDDEN"]
    assert (await minutes_of(world, LEA_A1))[ssids[0]] == (None, None)


@pytest.mark.parametrize("status", [SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED])
async def test_no_writes_once_submitted(
    world: World, lea_a1: GraphQLClient, status: SubmissionStatus
) -> None:
    ssids = await sample_ssids(world, LEA_A1)
    await force_state(world.lea_a1, status, (20, 0, 0))
    result = await lea_a1.execute(RECORD, i=record_input(LEA_A1, [entry(ssids[0], 10, 10)]))
    assert user_codes(result.data["recordMinutes"]) == ["INVALID_STATE"]
    assert (await minutes_of(world, LEA_A1))[ssids[0]] == (None, None)


async def test_no_writes_after_the_deadline_but_again_after_a_rejection(
    app: Starlette, world: World, clock: FakeClock
) -> None:
    # given the LEA's due time has passed
    ssids = await sample_ssids(world, LEA_A1)
    clock.now = DUE + timedelta(minutes=1)
    lea = await signed_in(app, world.codes["LEA_A1"])
    # when it records minutes, then DEADLINE_PASSED (even with a bad entry alongside)
    late = await lea.execute(
        RECORD, i=record_input(LEA_A1, [entry(ssids[0], 10, 10), entry(ssids[1], 0, 0)])
    )
    assert user_codes(late.data["recordMinutes"]) == ["DEADLINE_PASSED"]
    applied = await lea.execute(APPLY, i={"cycle": CYCLE, "cdsCode": LEA_A1})
    assert user_codes(applied.data["applyWorksheetCounts"]) == ["DEADLINE_PASSED"]
    assert (await minutes_of(world, LEA_A1))[ssids[0]] == (None, None)
    # and after a rejection it may write again within the grace
    await force_state(
        world.lea_a1,
        SubmissionStatus.REJECTED,
        (20, 0, 0),
        review_decision="REJECT",
        reviewed_at=clock.now,
    )
    ok = await lea.execute(RECORD, i=record_input(LEA_A1, [entry(ssids[0], 10, 10)]))
    assert ok.data["recordMinutes"]["userErrors"] == []


async def test_cycle_not_open_comes_before_deadline(world: World) -> None:
    ssids = await sample_ssids(world, LEA_A1)
    await Cycle.filter(id=world.cycle.id).update(status=CycleStatus.CLOSED)
    principal = await lea_principal(world, LEA_A1)
    command = RecordMinutes(CYCLE, LEA_A1, [MinutesEntry(ssids[0], 10, 10)])
    outcome = await record_minutes(principal, command, DUE + timedelta(days=1))
    assert [e.code.value for e in outcome.errors] == ["CYCLE_NOT_OPEN"]


async def test_a_write_is_audited_without_student_identifiers(
    world: World, lea_a1: GraphQLClient
) -> None:
    ssids = await sample_ssids(world, LEA_A1)
    await lea_a1.execute(RECORD, i=record_input(LEA_A1, [entry(ssids[0], 10, 10)]))
    event = await AuditEvent.get(action="worksheet.record")
    assert event.target == LEA_A1 and event.detail["entries"] == 1
    assert ssids[0] not in str(event.detail)


async def test_counts_of_many_leas_take_one_statement(world: World) -> None:
    rows = await SampledStudent.filter(cycle=world.cycle, lea__cds_code=LEA_A2)
    for row in rows:
        await SampledStudent.filter(id=row.id).update(prescribed_minutes=10, provided_minutes=9)
    counts = await derived_counts(world.cycle.id, [world.lea_a1.lea_id, world.lea_a2.lea_id])
    assert counts[world.lea_a2.lea_id].counts == (0, 1 * len(rows), 0)
    assert counts[world.lea_a1.lea_id].missing == 20
