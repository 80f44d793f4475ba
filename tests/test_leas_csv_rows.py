"""leas.csv is written from rows: the same bytes as ever, and no model object per LEA."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from iepimp.admin_commands import CLI_PRINCIPAL
from models import Lea, LeaCycle, SampledStudent, Submission
from models.shared.csv_cells import BOM
from models.shared.deadlines import PACIFIC
from models.shared.enums import SubmissionStatus
from resolvers.directory.export_leas import lea_rows
from tests.support.clients import GraphQLClient
from tests.support.factories import LEA_A1, LEA_A2, LEA_B1, LEA_B2, World, make_lea
from tests.support.orm_objects import models_built
from tests.support.sqlcount import count_sql

NO_SELPA, INACTIVE, REJECTED = "30000000000001", "20000000000003", "20000000000004"
EXPECTED = BOM + "".join(
    line + "\r\n"
    for line in (
        "cds_code,lea_name,selpa_code,selpa_name,required,status,count_a,count_b,count_c,total,sample_size,submitted_at,submitter_email,reviewed_at,due_at,worksheet_differs",
        '10000000000001,"Alpha, ""the first""",1001,SELPA 1001,true,DRAFT,3,,,,20,,,,2025-06-30T23:59:00-07:00,',  # noqa: E501
        "10000000000002,LEA 10000000000002,1001,SELPA 1001,true,SUBMITTED,5,4,3,12,12,2025-06-20T23:52:00-07:00,a2@example.org,,2025-07-03T23:59:00-07:00,true",  # noqa: E501
        "20000000000001,LEA 20000000000001,2002,SELPA 2002,true,APPROVED,10,0,0,10,20,2025-06-20T23:52:00-07:00,'+b1@example.org,2025-06-22T01:52:00-07:00,2025-06-30T23:59:00-07:00,",  # noqa: E501
        "20000000000002,LEA 20000000000002,2002,SELPA 2002,false,NOT_STARTED,,,,,0,,,,2025-06-30T23:59:00-07:00,",  # noqa: E501
        "20000000000003,LEA 20000000000003,2002,SELPA 2002,false,NOT_STARTED,,,,,,,,,2025-06-30T23:59:00-07:00,",  # noqa: E501
        "20000000000004,LEA 20000000000004,2002,SELPA 2002,true,REJECTED,1,1,0,2,,2025-06-20T23:52:00-07:00,r@example.org,2025-06-22T01:52:00-07:00,2025-06-30T23:59:00-07:00,",  # noqa: E501
        "30000000000001,'=HYPERLINK(1),,,true,NOT_STARTED,,,,,,,,,2025-06-30T23:59:00-07:00,",
    )
)


async def _every_kind_of_row(world: World) -> None:
    """Exempt (B2), inactive, extended (A2 later, B1 earlier than the cycle's due time), no
    SELPA, every status, names a spreadsheet would misread, partial and complete counts."""
    cycle = world.cycle
    await make_lea(cycle, NO_SELPA, None, 4)
    inactive = await make_lea(cycle, INACTIVE, world.selpa_b, 3)
    await LeaCycle.filter(id=inactive.id).update(active=False, required=False)
    await make_lea(cycle, REJECTED, world.selpa_b, 2)
    await Lea.filter(cds_code=LEA_A1).update(name='Alpha, "the first"')
    await Lea.filter(cds_code=NO_SELPA).update(name="=HYPERLINK(1)")
    await LeaCycle.filter(id=world.lea_a2.id).update(due_at_extension=cycle.due_at + timedelta(3))
    await LeaCycle.filter(id=world.lea_b1.id).update(due_at_extension=cycle.due_at - timedelta(3))
    at = cycle.due_at - timedelta(days=10, minutes=7)
    leas = {lea.cds_code: lea for lea in await Lea.all()}
    for cds, status, counts, email, reviewed in (
        (LEA_A1, SubmissionStatus.DRAFT, (3, None, None), None, False),
        (LEA_A2, SubmissionStatus.SUBMITTED, (5, 4, 3), "a2@example.org", False),
        (LEA_B1, SubmissionStatus.APPROVED, (10, 0, 0), "+b1@example.org", True),
        (REJECTED, SubmissionStatus.REJECTED, (1, 1, 0), "r@example.org", True),
        (NO_SELPA, SubmissionStatus.NOT_STARTED, (None, None, None), None, False),
    ):
        submitted = status is not SubmissionStatus.DRAFT and email is not None
        await Submission.update_or_create(
            cycle=cycle,
            lea=leas[cds],
            defaults={
                "status": status,
                "count_a": counts[0],
                "count_b": counts[1],
                "count_c": counts[2],
                "submitter_email": email,
                "submitted_at": at if submitted else None,
                "reviewed_at": at + timedelta(hours=26) if reviewed else None,
            },
        )
    sampled = await SampledStudent.filter(cycle=cycle, lea__cds_code=LEA_A2).order_by("ssid")
    for i, row in enumerate(sampled):
        provided = (2160, 2000, 1000)[i % 3]
        await SampledStudent.filter(id=row.id).update(
            prescribed_minutes=2160, provided_minutes=provided
        )
    first = await SampledStudent.filter(cycle=cycle, lea__cds_code=LEA_B1).first()
    assert first is not None and LEA_B2
    await SampledStudent.filter(id=first.id).update(prescribed_minutes=100, provided_minutes=99)


async def test_leas_csv_bytes_are_unchanged(world: World, cde_admin: GraphQLClient) -> None:
    # given a cycle with every kind of LEA row
    await _every_kind_of_row(world)
    # when the administrator downloads the LEA records
    async with cde_admin.http() as http:
        response = await http.get("/exports/2024-25/leas.csv")
    # then the file is byte for byte what it has always been
    assert response.status_code == 200
    assert response.content == EXPECTED.encode("utf-8")


async def test_leas_csv_builds_no_model_object_per_lea(
    world: World, cde_admin: GraphQLClient
) -> None:
    # given a cycle with every kind of LEA row, and the export's one cycle read
    await _every_kind_of_row(world)
    # when the administrator downloads the LEA records of one SELPA and of every SELPA
    with models_built() as built:
        async with cde_admin.http() as http:
            whole = await http.get("/exports/2024-25/leas.csv")
            one = await http.get("/exports/2024-25/leas.csv?selpa=2002")
    # then the rows came as rows: only the cycle and the SELPA named were built as objects
    assert whole.status_code == one.status_code == 200
    assert len(whole.text.splitlines()) == 8 and len(one.text.splitlines()) == 5
    assert sorted(built) == ["Cycle", "Cycle", "Selpa"]


async def test_leas_csv_takes_the_same_statements_for_any_number_of_leas(
    world: World, cde_admin: GraphQLClient
) -> None:
    # given the world's LEAs, exported once
    async with cde_admin.http() as http:
        with count_sql() as few:
            small = await http.get("/exports/2024-25/leas.csv")
        # when 600 more LEAs join the cycle and the export runs again
        await Lea.bulk_create(
            [Lea(cds_code=f"{40_000_000_000_000 + i}", name=f"LEA {i}") for i in range(600)]
        )
        leas = await Lea.filter(cds_code__startswith="4")
        await LeaCycle.bulk_create(
            [LeaCycle(cycle_id=world.cycle.id, lea_id=lea.id, selpa_id=None) for lea in leas]
        )
        with count_sql() as many:
            large = await http.get("/exports/2024-25/leas.csv")
    # then every LEA is there, read with as many statements as before
    assert small.status_code == large.status_code == 200
    assert len(large.text.splitlines()) == len(small.text.splitlines()) + 600
    assert len(many) == len(few), many


async def test_leas_rows_read_inside_a_transaction_are_the_rows_read_outside(
    world: World,
) -> None:
    # given a cycle with every kind of LEA row, read as the export reads it (reads at once)
    await _every_kind_of_row(world)
    outside = [batch async for batch in lea_rows(CLI_PRINCIPAL, world.cycle, None)]
    # when the same rows are read inside a transaction, which holds one connection
    async with in_transaction():
        inside = [batch async for batch in lea_rows(CLI_PRINCIPAL, world.cycle, None)]
    # then they are read one after another on it, and are the same rows
    assert inside == outside and len(outside[0]) == 7


async def test_leas_csv_writes_instants_across_daylight_saving_as_pacific_time(
    world: World, cde_admin: GraphQLClient
) -> None:
    # given submissions sent and reviewed at either side of both daylight-saving changes,
    # with fractions of a second
    edges = [
        datetime(2025, 3, 9, 9, 59, 59, 999_000, tzinfo=UTC),
        datetime(2025, 3, 9, 10, 0, 0, tzinfo=UTC),
        datetime(2025, 11, 2, 8, 59, 59, 600_000, tzinfo=UTC),
        datetime(2025, 11, 2, 9, 0, 0, tzinfo=UTC),
    ]
    pairs = [(edges[0], edges[1]), (edges[2], edges[3]), (edges[3], edges[0])]
    for cds, (sent, seen) in zip((LEA_A1, LEA_A2, LEA_B1), pairs, strict=True):
        await Submission.filter(cycle=world.cycle, lea__cds_code=cds).update(
            status=SubmissionStatus.APPROVED, submitted_at=sent, reviewed_at=seen
        )
    # when the administrator downloads the LEA records
    async with cde_admin.http() as http:
        response = await http.get("/exports/2024-25/leas.csv")
    # then each instant is its Pacific wall time to the second, with that moment's offset
    rows = {row[0]: row for row in csv.reader(io.StringIO(response.text.lstrip(BOM)))}
    written = [(rows[cds][11], rows[cds][13]) for cds in (LEA_A1, LEA_A2, LEA_B1)]
    assert written == [
        ("2025-03-09T01:59:59-08:00", "2025-03-09T03:00:00-07:00"),
        ("2025-11-02T01:59:59-07:00", "2025-11-02T01:00:00-08:00"),
        ("2025-11-02T01:00:00-08:00", "2025-03-09T01:59:59-08:00"),
    ]
    assert written == [
        tuple(t.astimezone(PACIFIC).isoformat(timespec="seconds") for t in pair) for pair in pairs
    ]
