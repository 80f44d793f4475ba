"""A SELPA's approval certifies (seed: "must be certified by Superintendents, SELPAs"): the
reviewer's name and title and the cycle's SELPA statement; self-review is marked."""

from __future__ import annotations

from models import Submission
from models.shared.enums import SubmissionStatus
from tests.support.clients import GraphQLClient
from tests.support.factories import LEA_A1, World
from tests.support.workflow_support import (
    CYCLE,
    SAVE,
    SUBMIT,
    force_state,
    save_input,
    snapshot,
    submit_input,
)

REVIEW = (
    "mutation($i: ReviewSubmissionInput!) { reviewSubmission(input: $i) { submission { status "
    "reviewer { name title } reviewCertificationText selfReviewed } "
    "userErrors { field code } } }"
)
CERTIFIED = {"reviewerName": "Morgan Ashgrove", "reviewerTitle": "SELPA Director", "certify": True}
STATEMENT = "query($c: String!) { cycle(name: $c) { selpaCertificationText } }"


def _approve(**extra: object) -> dict[str, object]:
    return {"cycle": CYCLE, "cdsCode": LEA_A1, "decision": "APPROVE", **extra}


async def test_an_approval_without_name_title_or_certification_changes_nothing(
    world: World, selpa_a: GraphQLClient
) -> None:
    await force_state(world.lea_a1, SubmissionStatus.SUBMITTED, (15, 3, 2))
    before = await snapshot(world.lea_a1)
    result = (await selpa_a.execute(REVIEW, i=_approve())).data["reviewSubmission"]
    assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
        ("INVALID_INPUT", ["input", "reviewerName"]),
        ("INVALID_INPUT", ["input", "reviewerTitle"]),
        ("NOT_CERTIFIED", ["input", "certify"]),
    ]
    uncertified = {**CERTIFIED, "certify": False}
    again = (await selpa_a.execute(REVIEW, i=_approve(**uncertified))).data["reviewSubmission"]
    assert [e["code"] for e in again["userErrors"]] == ["NOT_CERTIFIED"]
    assert await snapshot(world.lea_a1) == before


async def test_a_certified_approval_keeps_the_statement_name_and_title(
    world: World, selpa_a: GraphQLClient
) -> None:
    await force_state(world.lea_a1, SubmissionStatus.SUBMITTED, (15, 3, 2))
    statement = (await selpa_a.execute(STATEMENT, c=CYCLE)).data["cycle"]["selpaCertificationText"]
    assert statement.startswith("On behalf of the SELPA")
    result = (await selpa_a.execute(REVIEW, i=_approve(**CERTIFIED))).data["reviewSubmission"]
    assert result == {
        "submission": {
            "status": "APPROVED",
            "reviewer": {"name": "Morgan Ashgrove", "title": "SELPA Director"},
            "reviewCertificationText": statement,
            "selfReviewed": False,
        },
        "userErrors": [],
    }
    row = await Submission.get(cycle=world.cycle, lea_id=world.lea_a1.lea_id)
    event = (await row.events.all())[-1]
    assert (event.action, event.actor_name) == ("approve", "Morgan Ashgrove")


async def test_a_selpa_that_entered_and_submitted_the_counts_is_marked_self_reviewed(
    world: World, selpa_a: GraphQLClient
) -> None:
    # given the SELPA saved and submitted the LEA's counts itself
    saved = await selpa_a.execute(SAVE, i=save_input(LEA_A1, 15, 3, 2))
    assert saved.data["saveCounts"]["userErrors"] == []
    submitted = await selpa_a.execute(SUBMIT, i=submit_input(LEA_A1))
    assert submitted.data["submitSubmission"]["userErrors"] == []
    # when it approves, the approval goes ahead and is marked self-reviewed
    result = (await selpa_a.execute(REVIEW, i=_approve(**CERTIFIED))).data["reviewSubmission"]
    assert result["submission"]["status"] == "APPROVED"
    assert result["submission"]["selfReviewed"] is True


async def test_the_report_counts_self_reviewed_approvals(
    world: World, selpa_a: GraphQLClient, cde_admin: GraphQLClient
) -> None:
    # given one LEA approved by a SELPA that had entered and submitted its counts itself
    await selpa_a.execute(SAVE, i=save_input(LEA_A1, 15, 3, 2))
    await selpa_a.execute(SUBMIT, i=submit_input(LEA_A1))
    await selpa_a.execute(REVIEW, i=_approve(**CERTIFIED))
    # when CDE reads the report, then the state row and the LEA's row mark it, and no other
    report = (
        "query($c: String!, $g: ReportGrouping!) { report(cycle: $c, groupBy: $g) "
        "{ key selfReviewed leaCounts { approved } } }"
    )
    state = (await cde_admin.execute(report, c=CYCLE, g="STATE")).data["report"]
    assert [(r["selfReviewed"], r["leaCounts"]["approved"]) for r in state] == [(1, 1)]
    leas = (await cde_admin.execute(report, c=CYCLE, g="LEA")).data["report"]
    assert [r["key"] for r in leas if r["selfReviewed"]] == [LEA_A1]
