"""The whole workflow, delivered over a real SMTP server: exactly the expected messages reach
the expected addresses with the expected content, and none carries student data or codes."""

from __future__ import annotations

from models import LeaCycle, RosterStudent
from tests.support.clients import GraphQLClient
from tests.support.factories import LEA_A1, FakeClock, World
from tests.support.mail_support import SmtpServer, make_worker, smtp_server  # noqa: F401

SAVE = (
    """mutation($a: Int!, $b: Int!, $c: Int!) { saveCounts(input: {cycle: "2024-25",
  cdsCode: "%s", countA: $a, countB: $b, countC: $c}) { userErrors { code } } }"""
    % LEA_A1
)
SUBMIT = (
    """mutation { submitSubmission(input: {cycle: "2024-25", cdsCode: "%s", certify: true,
  submitter: {name: "Jordan Vale", title: "Director", email: "jordan.vale@example.org",
  phone: "(916) 555-0100"}}) { userErrors { code } } }"""
    % LEA_A1
)
REVIEW = (
    """mutation($d: ReviewDecision!, $r: String) { reviewSubmission(input: {cycle: "2024-25",
  cdsCode: "%s", decision: $d, reason: $r, reviewerName: "Morgan Reviewer",
  reviewerTitle: "SELPA Director", certify: true}) { userErrors { code } } }"""
    % LEA_A1
)
REOPEN = (
    """mutation { reopenSubmission(input: {cycle: "2024-25", cdsCode: "%s",
  reason: "Audit found a transcription error."}) { userErrors { code } } }"""
    % LEA_A1
)
EXTEND = (
    """mutation { grantExtension(input: {cycle: "2024-25", cdsCode: "%s",
  dueAt: "2025-07-15T23:59:00-07:00"}) { userErrors { code } } }"""
    % LEA_A1
)


def _body(received: object) -> str:
    message = received.message  # type: ignore[attr-defined]
    parts = [part.get_content() for part in message.walk() if not part.is_multipart()]
    return "\n".join(str(p) for p in parts)


async def test_workflow_mail_reaches_the_right_people(
    world: World,
    clock: FakeClock,
    smtp_server: SmtpServer,  # noqa: F811
    lea_a1: GraphQLClient,
    selpa_a: GraphQLClient,
    cde_admin: GraphQLClient,
) -> None:
    # given a full round: submit, reject, resubmit, approve, reopen, extension
    n = world.lea_a1.sample_size or 0
    steps = [
        (lea_a1, SAVE, {"a": n - 3, "b": 2, "c": 1}),
        (lea_a1, SUBMIT, {}),
        (selpa_a, REVIEW, {"d": "REJECT", "r": "Category B looks high; please recheck."}),
        (lea_a1, SAVE, {"a": n - 2, "b": 1, "c": 1}),
        (lea_a1, SUBMIT, {}),
        (selpa_a, REVIEW, {"d": "APPROVE", "r": None}),
        (cde_admin, REOPEN, {}),
        (cde_admin, EXTEND, {}),
    ]
    for client, query, variables in steps:
        result = await client.execute(query, **variables)
        assert not result.errors, result.errors
        payload = next(iter(result.data.values()))
        assert payload["userErrors"] == [], (query, payload)
        clock.advance(minutes=1)
    # when the delivery worker runs against the SMTP server
    worker = make_worker(smtp_server.port, clock)
    for _ in range(5):
        await worker.run_once()
    clock.advance(seconds=1)
    # then exactly these messages arrived
    submitter, selpa = "jordan.vale@example.org", world.selpa_a.contact_email
    director = (await LeaCycle.get(id=world.lea_a1.id)).contact_email
    received = smtp_server.recorder.received
    got = sorted((r.recipients[0], str(r.message["Subject"])) for r in received)
    expected_to = sorted(
        [submitter] * 2  # two acknowledgements
        + [selpa] * 2  # two review requests
        + [submitter]  # rejected
        + [submitter]  # approved
        + [submitter, selpa]  # reopened
        + [director, submitter]  # extension
    )
    assert sorted(to for to, _ in got) == expected_to, got
    by_subject = {subject: to for to, subject in got}
    assert any("rejected" in s.lower() for s in by_subject)
    assert any("approved" in s.lower() for s in by_subject)
    bodies = {str(r.message["Subject"]): _body(r) for r in received}
    rejected = next(b for s, b in bodies.items() if "rejected" in s.lower())
    assert "Category B looks high; please recheck." in rejected
    acknowledgements = [_body(r) for r in received if "submission received" in r.message["Subject"]]
    category_a = {
        int(line.rsplit(":", 1)[1])
        for body in acknowledgements
        for line in body.splitlines()
        if line.strip().startswith("Category A (")
    }
    assert category_a == {n - 3, n - 2}
    for body in acknowledgements:
        assert world.cycle.certification_text in " ".join(body.split())
        assert "PDT" in body
    for r in received:
        assert r.message.get_content_type() == "multipart/alternative"
        assert r.message["Message-ID"]
    # and no message holds an SSID, a student name or an access code
    roster = await RosterStudent.filter(cycle=world.cycle).values_list(
        "ssid", "first_name", "last_name"
    )
    text = "\n".join(_body(r) + str(r.message["Subject"]) for r in received)
    for ssid, first, last in roster:
        assert ssid not in text
        assert f"{first} {last}" not in text
    for code in world.codes.values():
        assert code not in text and code.replace("-", "") not in text
