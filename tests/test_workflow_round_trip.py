"""The seed guide's Section IV, end to end through the API: save, certify and submit, SELPA
review with a rejection, fix and resubmit, approval, and the SELPA overview (Images A–E)."""

from __future__ import annotations

from typing import Any

from models import OutboxMessage
from models.shared.deadlines import to_pacific
from models.shared.enums import SubmissionStatus
from tests.support.clients import GraphQLClient
from tests.support.factories import LEA_A1, SELPA_A, FakeClock, World
from tests.support.workflow_support import (
    CYCLE,
    REVIEW,
    SAVE,
    SUBMIT,
    review_input,
    save_input,
    submission_of,
    submit_input,
)

OVERVIEW = """query($c: String!, $s: String!, $st: SubmissionStatus) { selpa(cycle: $c, code: $s) {
  name code leaStatusCounts { notStarted draft submitted approved rejected exempt required }
  leas(status: $st) { edges { node { name cdsCode contactEmail
    submission { status approvedAt countA countB countC total submitter { email } } } } } } }"""

HISTORY = """query($c: String!, $l: String!) { submission(cycle: $c, cdsCode: $l) {
  status version certificationText certifiedAt submittedAt firstSubmittedAt reviewDecision
  rejectionReason reviewedAt approvedAt submitter { name title email phone phoneExt }
  events { at actorRole actorScope actorName action fromStatus toStatus version countA reason }
} }"""


async def _later(
    clock: FakeClock, world: World, *clients: tuple[GraphQLClient, str], **delta: float
) -> None:
    """Let time pass; sessions idle out meanwhile, so each client signs in again."""
    clock.advance(**delta)
    for client, code in clients:
        await client.login(world.codes[code])


async def _ok(client: GraphQLClient, query: str, field: str, **variables: Any) -> dict[str, Any]:
    result = await client.execute(query, **variables)
    assert not result.errors, result.errors
    payload = result.data[field]
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload["submission"]  # type: ignore[no-any-return]


async def test_lea_and_selpa_complete_the_collection_with_one_rejection(
    world: World,
    clock: FakeClock,
    lea_a1: GraphQLClient,
    selpa_a: GraphQLClient,
    cde_admin: GraphQLClient,
) -> None:
    # given an LEA with 20 sampled students, entering its counts (Section IV, LEA steps 4-6)
    draft = await _ok(lea_a1, SAVE, "saveCounts", i=save_input(LEA_A1, 14, 4, 1))
    assert draft == {
        "status": "DRAFT",
        "version": 1,
        "countA": 14,
        "countB": 4,
        "countC": 1,
        "total": 19,
        "sampleSize": 20,
        "totalMatchesSample": False,
    }
    draft = await _ok(lea_a1, SAVE, "saveCounts", i=save_input(LEA_A1, 15, 3, 2, expectedVersion=1))
    assert (draft["version"], draft["total"], draft["totalMatchesSample"]) == (2, 20, True)

    # when it certifies and submits (steps 7-8, Image A)
    clock.advance(minutes=5)
    submitted = await _ok(lea_a1, SUBMIT, "submitSubmission", i=submit_input(LEA_A1))
    assert (submitted["status"], submitted["version"]) == ("SUBMITTED", 3)
    first_submitted = clock()

    # then the SELPA sees it awaiting review (Image C)
    overview = (await selpa_a.execute(OVERVIEW, c=CYCLE, s=SELPA_A, st="SUBMITTED")).data["selpa"]
    assert overview["leaStatusCounts"]["submitted"] == 1
    [node] = [e["node"] for e in overview["leas"]["edges"]]
    assert node["cdsCode"] == LEA_A1
    assert node["contactEmail"] == world.lea_a1.contact_email
    assert node["submission"]["status"] == "SUBMITTED"
    assert node["submission"]["submitter"]["email"] == "pat.example@lea.example.org"

    # when the SELPA rejects it with a reason (Image D)
    await _later(clock, world, (selpa_a, "SELPA_A"), (lea_a1, "LEA_A1"), days=1)
    rejected = await _ok(
        selpa_a,
        REVIEW,
        "reviewSubmission",
        i=review_input(
            LEA_A1,
            "REJECT",
            "Category C looks too low; recheck two students.",
            reviewerName="Sam Reviewer",
            expectedVersion=3,
        ),
    )
    assert (rejected["status"], rejected["version"]) == ("REJECTED", 4)

    # and the LEA fixes its counts and submits again
    await _later(clock, world, (selpa_a, "SELPA_A"), (lea_a1, "LEA_A1"), hours=3)
    await _ok(lea_a1, SAVE, "saveCounts", i=save_input(LEA_A1, 14, 3, 3))
    resubmitted = await _ok(lea_a1, SUBMIT, "submitSubmission", i=submit_input(LEA_A1))
    assert (resubmitted["status"], resubmitted["version"], resubmitted["countC"]) == (
        "SUBMITTED",
        6,
        3,
    )

    # and the SELPA approves it
    await _later(clock, world, (selpa_a, "SELPA_A"), (lea_a1, "LEA_A1"), days=1)
    approved = await _ok(selpa_a, REVIEW, "reviewSubmission", i=review_input(LEA_A1, "APPROVE"))
    assert (approved["status"], approved["version"]) == ("APPROVED", 7)
    approved_at = clock()

    # then the overview shows it approved with its date (Image E)
    overview = (await selpa_a.execute(OVERVIEW, c=CYCLE, s=SELPA_A, st="APPROVED")).data["selpa"]
    counts = overview["leaStatusCounts"]
    assert (counts["approved"], counts["submitted"], counts["notStarted"], counts["required"]) == (
        1,
        0,
        1,
        2,
    )
    [node] = [e["node"] for e in overview["leas"]["edges"]]
    assert node["cdsCode"] == LEA_A1
    assert node["submission"]["approvedAt"] == to_pacific(approved_at).isoformat()
    assert node["submission"]["approvedAt"].endswith("-07:00")

    # and the history tells the whole story
    history = (await lea_a1.execute(HISTORY, c=CYCLE, l=LEA_A1)).data["submission"]
    events = history["events"]
    assert [(e["action"], e["fromStatus"], e["toStatus"], e["version"]) for e in events] == [
        ("save", "NOT_STARTED", "DRAFT", 1),
        ("save", "DRAFT", "DRAFT", 2),
        ("submit", "DRAFT", "SUBMITTED", 3),
        ("reject", "SUBMITTED", "REJECTED", 4),
        ("save", "REJECTED", "DRAFT", 5),
        ("submit", "DRAFT", "SUBMITTED", 6),
        ("approve", "SUBMITTED", "APPROVED", 7),
    ]
    assert [(e["actorRole"], e["actorScope"]) for e in events] == [("LEA", LEA_A1)] * 3 + [
        ("SELPA", SELPA_A)
    ] + [("LEA", LEA_A1)] * 2 + [("SELPA", SELPA_A)]
    assert events[2]["actorName"] == "Pat Example"
    assert events[3]["actorName"] == "Sam Reviewer"
    assert events[3]["reason"] == "Category C looks too low; recheck two students."
    assert [e["countA"] for e in events] == [14, 15, 15, 15, 14, 14, 14]
    assert history["certificationText"] == world.cycle.certification_text
    assert history["submitter"] == {
        "name": "Pat Example",
        "title": "Director of Special Education",
        "email": "pat.example@lea.example.org",
        "phone": "916-555-0100",
        "phoneExt": "42",
    }
    assert history["reviewDecision"] == "APPROVE"
    assert history["rejectionReason"] is None
    row = await submission_of(world.lea_a1)
    assert row.status is SubmissionStatus.APPROVED
    assert row.first_submitted_at == first_submitted
    assert row.submitted_at is not None and row.submitted_at > first_submitted

    # and mail was queued for every step, to the right people
    rows = await OutboxMessage.all().order_by("id").values_list("kind", "recipient")
    submitter, selpa = "pat.example@lea.example.org", world.selpa_a.contact_email
    assert rows == [
        ("submission_acknowledged", submitter),
        ("awaiting_review", selpa),
        ("rejected", submitter),
        ("submission_acknowledged", submitter),
        ("awaiting_review", selpa),
        ("approved", submitter),
    ]

    # and CDE reads the same story in the audit log
    await cde_admin.login(world.codes["CDE_ADMIN"])
    audit = await cde_admin.execute(
        'query($c: String) { auditEvents(cycle: $c, action: "submission.submit") '
        "{ totalCount edges { node { actorRole actorScope target action } } } }",
        c=CYCLE,
    )
    log = audit.data["auditEvents"]
    assert log["totalCount"] == 2
    assert {(e["node"]["actorScope"], e["node"]["target"]) for e in log["edges"]} == {
        (LEA_A1, LEA_A1)
    }
