"""Shared pieces of the workflow tests: GraphQL documents, principals and row snapshots."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from models import AuditEvent, Lea, LeaCycle, OutboxMessage, Submission, SubmissionEvent
from models.shared.enums import Role, SubmissionStatus
from resolvers.shared.principal import Principal
from resolvers.submissions.submit_submission import SubmitterData
from tests.support.factories import World

PAYLOAD = (
    "{ submission { status version countA countB countC total sampleSize totalMatchesSample } "
    "userErrors { field code message } }"
)
SAVE = "mutation($i: SaveCountsInput!) { saveCounts(input: $i) " + PAYLOAD + " }"
SUBMIT = "mutation($i: SubmitSubmissionInput!) { submitSubmission(input: $i) " + PAYLOAD + " }"
REVIEW = "mutation($i: ReviewSubmissionInput!) { reviewSubmission(input: $i) " + PAYLOAD + " }"
REOPEN = "mutation($i: ReopenSubmissionInput!) { reopenSubmission(input: $i) " + PAYLOAD + " }"
EXTEND = "mutation($i: GrantExtensionInput!) { grantExtension(input: $i) " + PAYLOAD + " }"
OPEN_CYCLE = (
    "mutation($n: String!) { openCycle(name: $n) "
    "{ cycle { name status } userErrors { field code message } } }"
)
CLOSE_CYCLE = (
    "mutation($n: String!) { closeCycle(name: $n) "
    "{ cycle { name status } userErrors { field code message } } }"
)

CYCLE = "2024-25"
SUBMITTER = {
    "name": "Pat Example",
    "title": "Director of Special Education",
    "email": "pat.example@lea.example.org",
    "phone": "(916) 555-0100",
    "phoneExt": "42",
}
SUBMITTER_DATA = SubmitterData(
    name="Pat Example",
    title="Director",
    email="pat.example@lea.example.org",
    phone="916-555-0100",
)


def save_input(cds: str, a: int, b: int, c: int, **extra: Any) -> dict[str, Any]:
    return {"cycle": CYCLE, "cdsCode": cds, "countA": a, "countB": b, "countC": c, **extra}


def submit_input(cds: str, **extra: Any) -> dict[str, Any]:
    return {"cycle": CYCLE, "cdsCode": cds, "submitter": SUBMITTER, "certify": True, **extra}


APPROVER = {"reviewerName": "Morgan Reviewer", "reviewerTitle": "SELPA Director", "certify": True}
"""A certified approval: the reviewer's name and title, and certify."""


def review_input(
    cds: str, decision: str, reason: str | None = None, **extra: Any
) -> dict[str, Any]:
    certified = APPROVER if decision == "APPROVE" else {}
    given = {"cycle": CYCLE, "cdsCode": cds, "decision": decision, "reason": reason}
    return {**given, **certified, **extra}


async def lea_principal(world: World, cds: str) -> Principal:
    lea = await Lea.get(cds_code=cds)
    return Principal(
        role=Role.LEA, access_code_id=0, cycle_id=world.cycle.id, lea_id=lea.id, scope_code=cds
    )


def selpa_principal(world: World, which: str = "a") -> Principal:
    selpa = world.selpa_a if which == "a" else world.selpa_b
    return Principal(
        role=Role.SELPA,
        access_code_id=0,
        cycle_id=world.cycle.id,
        selpa_id=selpa.id,
        scope_code=selpa.code,
    )


def admin_principal() -> Principal:
    return Principal(role=Role.CDE_ADMIN, access_code_id=0)


async def submission_of(membership: LeaCycle) -> Submission:
    return await Submission.get(
        cycle_id=membership.cycle_id,
        lea_id=membership.lea_id,
    )


async def force_state(
    membership: LeaCycle,
    status: SubmissionStatus,
    counts: tuple[int, int, int] | None = None,
    **fields: Any,
) -> Submission:
    """Put the submission in ``status`` directly (the test's starting point)."""
    row = await submission_of(membership)
    values: dict[str, Any] = {"status": status, **fields}
    if counts is not None:
        values.update(count_a=counts[0], count_b=counts[1], count_c=counts[2])
    if status is not SubmissionStatus.NOT_STARTED and "submitter_email" not in fields:
        values.setdefault("submitter_name", "Pat Example")
        values.setdefault("submitter_email", "pat.example@lea.example.org")
    await Submission.filter(id=row.id).update(**values)
    return await Submission.get(id=row.id)


@dataclass(frozen=True)
class Snapshot:
    version: int
    status: SubmissionStatus
    counts: tuple[int | None, int | None, int | None]
    events: int
    audits: int
    outbox: int
    due_extension: Any


async def snapshot(membership: LeaCycle) -> Snapshot:
    row = await submission_of(membership)
    fresh = await LeaCycle.get(id=membership.id)
    return Snapshot(
        version=row.version,
        status=row.status,
        counts=(row.count_a, row.count_b, row.count_c),
        events=await SubmissionEvent.filter(submission_id=row.id).count(),
        audits=await AuditEvent.filter(action__startswith="submission.").count(),
        outbox=await OutboxMessage.all().count(),
        due_extension=fresh.due_at_extension,
    )


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]
