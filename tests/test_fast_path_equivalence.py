"""Every hot query answers exactly as the generic path does: graphql-core's own executor,
strawberry's own HTTP view, no stored report answers. Status, data, nulls, errors and
``extensions`` are compared whole, for each role, on a world with submissions in every state,
an LEA without a SELPA, an exempt LEA and an extension."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import strawberry

import iepimp.app
import schema.build
import web.graphql_view
from kernel.settings import Settings
from models import Cycle, LeaCycle, Submission
from models.shared.enums import SubmissionStatus
from resolvers.reports import live_report
from resolvers.reports.aggregate import figures
from schema.engine import plain_executor
from schema.engine.plain_executor import LONG_LIST
from schema.engine.written_items import WrittenItems
from tests.support.clients import GraphQLClient
from tests.support.factories import (
    LEA_A1,
    LEA_A2,
    LEA_B1,
    LEA_B2,
    FakeClock,
    World,
    app_with,
    left_to_the_view,
    make_lea,
)
from tests.support.workflow_support import APPROVER, force_state

LEA_FIELDS = """cdsCode name kind county active required exemptReason contactName contactEmail
  dueAt extended swdCount sampleSize
  selpa { code name contactName contactEmail }
  submission { status version countA countB countC total totalMatchesSample sampleSize
    submitter { name title email phone phoneExt } certificationText certifiedAt submittedAt
    firstSubmittedAt reviewDecision rejectionReason reviewer { role scope name title }
    reviewCertificationText selfReviewed reviewedAt approvedAt }"""
OVERVIEW = f"""query Overview($first: Int) {{ leas(cycle: "2024-25", first: $first) {{
  totalCount pageInfo {{ hasNextPage endCursor }}
  edges {{ cursor node {{ {LEA_FIELDS} }} }} }} }}"""
WITH_RESOLVERS = f"""{{ leas(cycle: "2024-25") {{ edges {{ node {{ {LEA_FIELDS}
  cycle {{ name }} worksheet {{ sampled }}
  submission {{ events {{ action toStatus }} }} }} }} }} }}"""
ONE_LEA = f"""query One($cds: String!) {{ lea(cycle: "2024-25", cdsCode: $cds) {{ {LEA_FIELDS}
  sampledStudents(first: 500) {{ totalCount
    edges {{ node {{ ssid firstName lastName birthDate grade disabilityCategory }} }} }} }} }}"""
SELPA = """{ selpa(cycle: "2024-25", code: "1001") { code name leaStatusCounts { required exempt }
  leas(first: 10) { edges { node { cdsCode submission { status } selpa { code } } } } } }"""
REPORT = """query Report($g: ReportGrouping!) { report(cycle: "2024-25", groupBy: $g) {
  groupBy key label county selpaCode
  leaCounts { required exempt notStarted draft submitted approved rejected }
  students { countA countB countC total shareA { numerator denominator percent }
    shareB { numerator denominator percent } shareC { numerator denominator percent } }
  responseRate { numerator denominator percent } timeliness { numerator denominator percent }
  extensionsGranted } }"""
SMALL = "{ cycles { name status } }"
REFUSED = '{ leas(cycle: "2024-25", first: 0) { totalCount } }'
TYPENAME = "{ __typename }"


def _generic_schema(settings: Settings | None = None) -> strawberry.Schema:
    return schema.build.build_schema(settings, reference=True)


async def _year_in_every_state(world: World) -> None:
    await force_state(
        world.lea_a1,
        SubmissionStatus.APPROVED,
        (20, 6, 4),
        reviewer_role="SELPA",
        reviewer_scope="1001",
        reviewer_name=APPROVER["reviewerName"],
        reviewer_title=APPROVER["reviewerTitle"],
        review_decision="APPROVE",
        reviewed_at=world.cycle.due_at,
        submitted_at=world.cycle.due_at,
        first_submitted_at=world.cycle.due_at,
        certification_text="I certify.",
        certified_at=world.cycle.due_at,
    )
    await force_state(
        world.lea_a2,
        SubmissionStatus.REJECTED,
        (10, 1, 1),
        review_decision="REJECT",
        rejection_reason="Recount C.",
        reviewer_role="SELPA",
        reviewer_scope="1001",
        submitted_at=world.cycle.due_at,
        reviewed_at=world.cycle.due_at,
    )
    await force_state(world.lea_b1, SubmissionStatus.DRAFT, (5, None, 2))  # type: ignore[arg-type]
    await LeaCycle.filter(id=world.lea_b1.id).update(
        due_at_extension=world.cycle.due_at + timedelta(days=14)
    )
    await LeaCycle.filter(id=world.lea_b2.id).update(
        selpa_id=None, required=False, exempt_reason="No students with IEPs."
    )


async def _answers(client: GraphQLClient) -> list[tuple[int, Any]]:
    documents: list[tuple[str, dict[str, Any]]] = [
        (OVERVIEW, {"first": 2}),
        (OVERVIEW, {"first": 100}),
        (WITH_RESOLVERS, {}),
        (SELPA, {}),
        (SMALL, {}),
        (REFUSED, {}),
        (TYPENAME, {}),
    ]
    documents += [(ONE_LEA, {"cds": cds}) for cds in (LEA_A1, LEA_A2, LEA_B1, LEA_B2)]
    for grouping in ("STATE", "COUNTY", "SELPA", "LEA"):
        documents += [(REPORT, {"g": grouping})] * 2
    answers = []
    for query, variables in documents:
        response = await client.execute(query, **variables)
        answers.append((response.status, response.body))
    return answers


@pytest.mark.parametrize(
    "role", ["CDE_ADMIN", "CDE_ANALYST", "SELPA_A", "SELPA_B", "LEA_A1", "LEA_B1", None]
)
async def test_hot_queries_answer_as_the_generic_path_does(
    world: World, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, role: str | None
) -> None:
    # given a year with every kind of LEA, served the fast way and the generic way
    await _year_in_every_state(world)
    fast = app_with(clock)
    monkeypatch.setattr(iepimp.app, "build_schema", _generic_schema)
    monkeypatch.setattr(web.graphql_view.GraphQLView, "answer_operation", left_to_the_view)
    generic = app_with(clock)
    # when the same caller sends every hot query to both
    results = []
    for app in (fast, generic):
        client = GraphQLClient(app)
        if role is not None:
            await client.login(world.codes[role])
        results.append(await _answers(client))
    # then every answer is the same, to the last null, error and extension
    for fast_answer, generic_answer in zip(*results, strict=True):
        assert fast_answer == generic_answer


async def test_a_long_report_computed_anew_answers_as_the_generic_path_does(
    world: World, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given more LEAs than a list is written for directly, in every status
    await _year_in_every_state(world)
    statuses = list(SubmissionStatus)
    for i in range(LONG_LIST + 4):
        selpa = world.selpa_a if i % 3 else world.selpa_b
        membership = await make_lea(world.cycle, f"3{i:013d}", selpa, 0, declared_none=False)
        await Submission.create(cycle=world.cycle, lea_id=membership.lea_id)
        status = statuses[i % len(statuses)]
        counts = None if status is SubmissionStatus.NOT_STARTED else (i, i % 4, 2)
        await force_state(membership, status, counts, submitted_at=world.cycle.due_at)
    fast = app_with(clock)
    monkeypatch.setattr(iepimp.app, "build_schema", _generic_schema)
    monkeypatch.setattr(web.graphql_view.GraphQLView, "answer_operation", left_to_the_view)
    generic = app_with(clock)
    clients = [GraphQLClient(app) for app in (fast, generic)]
    for client in clients:
        await client.login(world.codes["CDE_ADMIN"])
    monkeypatch.setattr(plain_executor, "written_items", WrittenItems())
    made: list[str] = []
    rows_made: list[list[str]] = []

    def counted(row: Any) -> Any:
        made.append(str(row[1]))
        return figures(row)

    monkeypatch.setattr(live_report, "figures", counted)
    # when the report by LEA is asked for after each of: nothing, a write that changes no row,
    # a write that changes one LEA's counts
    cds = f"3{statuses.index(SubmissionStatus.APPROVED):013d}"
    writes = [
        None,
        Cycle.filter(id=world.cycle.id).update(name=world.cycle.name),
        Submission.filter(lea__cds_code=cds).update(count_a=77),
    ]
    answers = []
    for write in writes:
        if write is not None:
            await write
        answered = []
        for client in clients:
            made.clear()
            answered.append(await client.execute(REPORT, g="LEA"))
            rows_made.append(list(made))
        answers.append(answered)
    # then both answer alike each time, the rows written directly and kept for the next time
    for fast_answer, generic_answer in answers:
        assert fast_answer.status == generic_answer.status
        assert fast_answer.body == generic_answer.body
        assert len(fast_answer.body["data"]["report"]) >= LONG_LIST
    changed = [row for row in answers[2][0].body["data"]["report"] if row["key"] == cds]
    assert changed[0]["students"]["countA"] == 77
    # and after the write that changed one row, the fast path made only that row anew, while
    # the generic path made every row
    assert rows_made[4] == [cds]
    assert len(rows_made[5]) == len(answers[2][1].body["data"]["report"])
    assert len(plain_executor.written_items) >= LONG_LIST
