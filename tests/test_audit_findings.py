"""The audit itself (SPEC §3.7): each drawn LEA's documents, outcome and correction recorded,
mailed and logged, and summarized for CDE."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models import AuditEvent, LeaCycle, OutboxMessage
from models.audit.findings import summarize
from models.shared.enums import AuditOutcome, SubmissionStatus
from resolvers.audit.draw_audit_selection import draw_audit_selection
from tests.support.clients import GraphQLClient
from tests.support.factories import FakeClock, World
from tests.support.workflow_support import CYCLE, REOPEN, admin_principal, force_state

AFTER_DUE = datetime(2025, 7, 20, 19, 0, tzinfo=UTC)
STEP = (
    "mutation($i: RecordAuditStepInput!) { recordAuditStep(input: $i) { finding { cdsCode "
    "status outcome certifiedCounts verifiedCounts note } userErrors { field code message } } }"
)
FINDINGS = (
    "query($c: String!) { auditFindings(cycle: $c) { cdsCode rank status outcome } "
    "auditSummary(cycle: $c) { audited concluded confirmed discrepancies corrected "
    "studentsMoved agreementRate } }"
)
COUNTS = {"LEA_A1": (15, 3, 2), "LEA_A2": (8, 2, 2), "LEA_B1": (10, 5, 5)}


async def _step(client: GraphQLClient, cds: str, step: str, **extra: object) -> dict[str, object]:
    result = await client.execute(STEP, i={"cycle": CYCLE, "cdsCode": cds, "step": step, **extra})
    assert not result.errors, result.errors
    payload: dict[str, object] = result.data["recordAuditStep"]
    return payload


def _codes(payload: dict[str, object]) -> list[tuple[str, list[str] | None]]:
    errors = payload["userErrors"]
    assert isinstance(errors, list)
    return [(e["code"], e["field"]) for e in errors]


async def test_an_audit_runs_from_documents_to_a_corrected_discrepancy(
    world: World, clock: FakeClock, cde_admin: GraphQLClient, selpa_a: GraphQLClient
) -> None:
    # given three approved submissions and the audit drawn after the due time (one LEA)
    members = {"LEA_A1": world.lea_a1, "LEA_A2": world.lea_a2, "LEA_B1": world.lea_b1}
    for key, member in members.items():
        await force_state(member, SubmissionStatus.APPROVED, COUNTS[key])
    clock.now = AFTER_DUE
    await cde_admin.login(world.codes["CDE_ADMIN"])
    drawn = await draw_audit_selection(admin_principal(), CYCLE, AFTER_DUE, seed="x" * 32)
    (chosen,) = drawn.selected
    cds = chosen.lea.cds_code
    key = next(k for k, m in members.items() if m.lea_id == chosen.lea_id)
    a, b, c = COUNTS[key]
    # an outcome before the documents were reviewed is refused
    assert _codes(await _step(cde_admin, cds, "CONFIRM")) == [("INVALID_STATE", ["step"])]
    # documents requested, then reviewed
    requested = await _step(cde_admin, cds, "REQUEST_DOCUMENTS")
    assert requested["finding"]["status"] == "DOCUMENTS_REQUESTED"  # type: ignore[index]
    assert _codes(await _step(cde_admin, cds, "REQUEST_DOCUMENTS")) == [("INVALID_STATE", ["step"])]
    await _step(cde_admin, cds, "MARK_REVIEWED")
    # a discrepancy needs counts totalling the sample, and a note
    wrong = await _step(cde_admin, cds, "RECORD_DISCREPANCY", countA=a, countB=b, countC=c + 1)
    assert _codes(wrong) == [("INVALID_INPUT", ["input", "countA"])]
    moved = {"countA": a - 2, "countB": b + 2, "countC": c}
    silent = await _step(cde_admin, cds, "RECORD_DISCREPANCY", **moved)
    assert _codes(silent) == [("INVALID_INPUT", ["input", "note"])]
    found = await _step(
        cde_admin, cds, "RECORD_DISCREPANCY", note="Two students are below 95 %.", **moved
    )
    assert found["finding"] == {
        "cdsCode": cds,
        "status": "DISCREPANCY",
        "outcome": "DISCREPANCY",
        "certifiedCounts": [a, b, c],
        "verifiedCounts": [a - 2, b + 2, c],
        "note": "Two students are below 95 %.",
    }
    # and the LEA and its SELPA are mailed the outcome
    member = await LeaCycle.get(lea_id=chosen.lea_id).select_related("selpa")
    mailed = await OutboxMessage.filter(kind="audit_outcome").values_list("recipient", flat=True)
    assert sorted(mailed) == sorted([member.contact_email, member.selpa.contact_email])
    # CORRECTED needs the submission reopened and approved again with the verified counts
    assert _codes(await _step(cde_admin, cds, "MARK_CORRECTED")) == [("INVALID_STATE", ["step"])]
    reopen = {"cycle": CYCLE, "cdsCode": cds, "reason": "Audit discrepancy."}
    assert (await cde_admin.execute(REOPEN, i=reopen)).data["reopenSubmission"]["userErrors"] == []
    await force_state(
        member,
        SubmissionStatus.APPROVED,
        (a - 2, b + 2, c),
        reviewed_at=AFTER_DUE + timedelta(days=1),
    )
    corrected = await _step(cde_admin, cds, "MARK_CORRECTED")
    assert corrected["finding"]["outcome"] == "CORRECTED"  # type: ignore[index]
    # the summary counts it, and every step is in the audit log
    result = await cde_admin.execute(FINDINGS, c=CYCLE)
    assert result.data["auditFindings"] == [
        {"cdsCode": cds, "rank": 1, "status": "CORRECTED", "outcome": "CORRECTED"}
    ]
    assert result.data["auditSummary"] == {
        "audited": 1,
        "concluded": 1,
        "confirmed": 0,
        "discrepancies": 1,
        "corrected": 1,
        "studentsMoved": 2,
        "agreementRate": "0.00",
    }
    actions = await AuditEvent.filter(target=cds, action__startswith="audit.").values_list(
        "action", flat=True
    )
    assert sorted(actions) == sorted(
        [
            "audit.request_documents",
            "audit.mark_reviewed",
            "audit.record_discrepancy",
            "audit.mark_corrected",
        ]
    )
    assert await OutboxMessage.filter(kind="audit_outcome").count() == 4
    # a SELPA sees none of it
    await selpa_a.login(world.codes["SELPA_A"])
    assert (await selpa_a.execute(FINDINGS, c=CYCLE)).codes == ["FORBIDDEN", "FORBIDDEN"]


def test_the_summary_counts_agreement_and_students_moved() -> None:
    summary = summarize(
        4,
        [
            (AuditOutcome.CONFIRMED, (15, 3, 2), (15, 3, 2)),
            (AuditOutcome.CONFIRMED, (8, 2, 2), (8, 2, 2)),
            (AuditOutcome.DISCREPANCY, (10, 5, 5), (7, 6, 7)),
        ],
    )
    assert (summary.audited, summary.concluded, summary.confirmed) == (4, 3, 2)
    assert (summary.discrepancies, summary.corrected, summary.students_moved) == (1, 0, 3)
    assert summary.agreement_rate == "66.67"
