"""``POST /imports/{cycle}/minutes.csv``: the round trip with students.csv, all-or-nothing
refusals naming every bad row, and the failure table's statuses."""

from __future__ import annotations

from datetime import timedelta

from starlette.applications import Starlette

from models import AuditEvent
from models.shared.enums import Category, SubmissionStatus
from models.worksheet.categories import category
from tests.support.clients import GraphQLClient
from tests.support.factories import DUE, LEA_A1, LEA_A2, LEA_B1, FakeClock, World
from tests.support.workflow_support import SUBMIT, force_state, submit_input
from tests.support.worksheet_support import (
    APPLY,
    COUNTS_ONLY,
    CYCLE,
    WINDOW,
    download_students,
    minutes_of,
    sample_ssids,
    to_csv,
    upload,
)
from web.csv.minutes_upload import MAX_UPLOAD_BYTES

HEADER = "ssid,prescribed_minutes,provided_minutes\r\n"


async def test_round_trip_download_fill_upload_apply_submit(
    world: World, lea_a1: GraphQLClient
) -> None:
    # given the LEA's students.csv, downloaded over HTTP
    rows = await download_students(lea_a1, LEA_A1)
    header = rows[0]
    p, q = header.index("prescribed_minutes"), header.index("provided_minutes")
    # when it fills in the two minute columns
    provided_cycle = [2160, 2052, 2051, 1944, 1943, 2400, 0, 2000]
    expected = dict.fromkeys(Category, 0)
    for i, row in enumerate(rows[1:]):
        row[p], row[q] = "2160", str(provided_cycle[i % len(provided_cycle)])
        expected[category(provided_cycle[i % len(provided_cycle)], 2160)] += 1
    # and uploads the same file
    status, summary = await upload(lea_a1, LEA_A1, to_csv(rows))
    # then it is accepted and summed up
    assert status == 200, summary
    assert summary["rows"] == 20 and summary["recorded"] == 20 and summary["cleared"] == 0
    counts = (expected[Category.A], expected[Category.B], expected[Category.C])
    worksheet = summary["worksheet"]
    assert (worksheet["countA"], worksheet["countB"], worksheet["countC"]) == counts
    assert worksheet["missing"] == 0 and worksheet["complete"] is True
    # the download now carries the minutes back
    again = await download_students(lea_a1, LEA_A1)
    assert again == rows
    # applying and submitting certify exactly the derived counts
    applied = await lea_a1.execute(APPLY, i={"cycle": CYCLE, "cdsCode": LEA_A1})
    assert applied.data["applyWorksheetCounts"]["userErrors"] == []
    submitted = (await lea_a1.execute(SUBMIT, i=submit_input(LEA_A1))).data["submitSubmission"]
    assert submitted["userErrors"] == []
    sub = submitted["submission"]
    assert sub["status"] == "SUBMITTED"
    assert (sub["countA"], sub["countB"], sub["countC"]) == counts
    # and once submitted, no upload is accepted
    status, body = await upload(lea_a1, LEA_A1, to_csv(rows))
    assert status == 422 and body["error"]["code"] == "INVALID_STATE"


async def test_a_file_with_several_bad_rows_names_each_and_changes_nothing(
    world: World, lea_a1: GraphQLClient
) -> None:
    # given one student's minutes already recorded
    ssids = await sample_ssids(world, LEA_A1)
    foreign = (await sample_ssids(world, LEA_B1))[0]
    status, _ = await upload(lea_a1, LEA_A1, f"{HEADER}{ssids[0]},100,90\r\n")
    assert status == 200
    before = await minutes_of(world, LEA_A1)
    # when a file mixes good rows with bad ones
    body = (
        "ssid,prescribed_minutes,provided_minutes,note\r\n"
        f"{ssids[1]},2160,2000,fine\r\n"  # line 2
        f"{foreign},2160,2000,another LEA's student\r\n"  # line 3
        f"{ssids[2]},2160.5,abc,not whole\r\n"  # line 4
        f"{ssids[3]},0,{WINDOW + 1},out of range\r\n"  # line 5
        f"{ssids[1]},10,10,duplicate\r\n"  # line 6
        f"{ssids[4]},2160,,one missing\r\n"  # line 7
        f"12345,2160,2000,bad ssid\r\n"  # line 8
        f"{ssids[5]},2160\r\n"  # line 9: short row
        f"0000000000,1,1,unknown\r\n"  # line 10
        f"{ssids[0]},,,clears\r\n"  # line 11
    )
    status, answer = await upload(lea_a1, LEA_A1, body)
    # then the file is refused with every bad row by line and column
    assert status == 422
    assert answer["error"]["code"] == "INVALID_INPUT"
    named = [(r["line"], r["column"]) for r in answer["error"]["rows"]]
    assert named == [
        (3, "ssid"),
        (4, "prescribed_minutes"),
        (4, "provided_minutes"),
        (5, "prescribed_minutes"),
        (5, "provided_minutes"),
        (6, "ssid"),
        (7, "provided_minutes"),
        (8, "ssid"),
        (9, "row"),
        (10, "ssid"),
    ]
    assert "line 2" in answer["error"]["rows"][5]["message"]
    # never naming a student
    text = str(answer)
    assert not any(s in text for s in [*ssids, foreign, "0000000000"])
    # and nothing changed
    assert await minutes_of(world, LEA_A1) == before


async def test_bom_is_accepted_and_an_empty_row_clears(
    world: World, selpa_a: GraphQLClient
) -> None:
    ssids = await sample_ssids(world, LEA_A2)
    first = f"\ufeff{HEADER}{ssids[0]},2160,2000\r\n{ssids[1]},2160,2100\r\n"
    status, summary = await upload(selpa_a, LEA_A2, first)
    assert status == 200 and summary["recorded"] == 2
    minutes = await minutes_of(world, LEA_A2)
    assert minutes[ssids[0]] == (2160, 2000) and minutes[ssids[1]] == (2160, 2100)
    # a later file replaces only the SSIDs it lists; empty minutes clear
    status, summary = await upload(selpa_a, LEA_A2, f"{HEADER}{ssids[0]},,\r\n")
    assert status == 200 and summary["cleared"] == 1 and summary["recorded"] == 0
    minutes = await minutes_of(world, LEA_A2)
    assert minutes[ssids[0]] == (None, None) and minutes[ssids[1]] == (2160, 2100)
    event = await AuditEvent.filter(action="worksheet.record").order_by("-id").first()
    assert event is not None and event.detail["source"] == "csv"


async def test_a_file_over_one_megabyte_is_refused(world: World, lea_a1: GraphQLClient) -> None:
    ssids = await sample_ssids(world, LEA_A1)
    body = (f"{HEADER}{ssids[0]},2160,2000\r\n").encode() + b" " * MAX_UPLOAD_BYTES
    status, answer = await upload(lea_a1, LEA_A1, body)
    assert status == 413 and answer["error"]["field"] == "file"
    assert (await minutes_of(world, LEA_A1))[ssids[0]] == (None, None)


async def test_failure_statuses(
    app: Starlette,
    world: World,
    lea_a1: GraphQLClient,
    lea_b1: GraphQLClient,
    selpa_b: GraphQLClient,
    cde_admin: GraphQLClient,
    cde_analyst: GraphQLClient,
    anonymous: GraphQLClient,
) -> None:
    ssids = await sample_ssids(world, LEA_A1)
    good = f"{HEADER}{ssids[0]},2160,2000\r\n"
    # another tenant's LEA answers like a missing one
    assert (await upload(lea_b1, LEA_A1, good))[0] == 404
    assert (await upload(selpa_b, LEA_A1, good))[0] == 404
    assert (await upload(lea_a1, "99999999999999", good))[0] == 404
    assert (await upload(lea_a1, LEA_A1, good, cycle="2023-24"))[0] == 404
    # CDE roles see the LEA but may not write its minutes
    assert (await upload(cde_admin, LEA_A1, good))[0] == 403
    assert (await upload(cde_analyst, LEA_A1, good))[0] == 403
    # no token or a dead one
    assert (await upload(anonymous, LEA_A1, good))[0] == 401
    assert (await upload(GraphQLClient(app, token="dead"), LEA_A1, good))[0] == 401
    # malformed arguments and unreadable files
    assert (await upload(lea_a1, "123", good))[0] == 400
    assert (await upload(lea_a1, LEA_A1, good, cycle="2024"))[0] == 400
    status, answer = await upload(lea_a1, LEA_A1, f"ssid,prescribed_minutes\r\n{ssids[0]},1\r\n")
    assert status == 400 and answer["error"]["field"] == "provided_minutes"
    assert (await upload(lea_a1, LEA_A1, b"\xff\xfe" + good.encode("utf-16-le")))[0] == 400
    assert (await upload(lea_a1, LEA_A1, good, content_type="application/json"))[0] == 415
    # none of which changed anything
    assert all(v == (None, None) for v in (await minutes_of(world, LEA_A1)).values())
    # while the LEA itself may upload
    assert (await upload(lea_a1, LEA_A1, good))[0] == 200


async def test_uploads_are_refused_after_the_deadline(
    app: Starlette, world: World, clock: FakeClock
) -> None:
    ssids = await sample_ssids(world, LEA_A1)
    clock.now = DUE + timedelta(seconds=60)
    lea = GraphQLClient(app)
    await lea.login(world.codes["LEA_A1"])
    status, answer = await upload(lea, LEA_A1, f"{HEADER}{ssids[0]},2160,2000\r\n")
    assert status == 422 and answer["error"]["code"] == "DEADLINE_PASSED"
    assert (await minutes_of(world, LEA_A1))[ssids[0]] == (None, None)


async def test_the_worksheet_difference_reaches_leas_csv(
    world: World, lea_a1: GraphQLClient, cde_analyst: GraphQLClient
) -> None:
    # given a complete worksheet whose counts the LEA has not saved
    rows = await download_students(lea_a1, LEA_A1)
    for row in rows[1:]:
        row[6], row[7] = "100", "100"
    assert (await upload(lea_a1, LEA_A1, to_csv(rows)))[0] == 200
    await force_state(world.lea_a1, SubmissionStatus.DRAFT, (0, 20, 0))
    # then the analyst sees the difference, in the graph and in leas.csv, without any rows
    sheet = (await cde_analyst.execute(COUNTS_ONLY, cds=LEA_A1)).data["lea"]["worksheet"]
    assert sheet["differsFromSaved"] is True and sheet["countA"] == 20
    async with cde_analyst.http() as http:
        text = (await http.get(f"/exports/{CYCLE}/leas.csv")).text
    lines = {line.split(",")[0]: line.split(",") for line in text.splitlines()[1:]}
    assert lines[LEA_A1][15] == "true" and lines[LEA_A2][15] == ""
