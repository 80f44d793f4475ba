"""Only the transitions of SPEC §3.6, only by the roles of SPEC §4; a refusal changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
import pytest_asyncio

from models import OutboxMessage
from models.shared.enums import SubmissionStatus
from tests.support.clients import GraphQLClient
from tests.support.factories import LEA_A1, LEA_A2, LEA_B2, World, make_cycle
from tests.support.workflow_support import (
    CLOSE_CYCLE,
    CYCLE,
    EXTEND,
    OPEN_CYCLE,
    REOPEN,
    REVIEW,
    SAVE,
    SUBMIT,
    codes,
    force_state,
    review_input,
    save_input,
    snapshot,
    submit_input,
)

S = SubmissionStatus
FIELD = {
    "save": "saveCounts",
    "submit": "submitSubmission",
    "approve": "reviewSubmission",
    "reject": "reviewSubmission",
    "reopen": "reopenSubmission",
    "extend": "grantExtension",
}
ALLOWED = {
    "save": {S.NOT_STARTED, S.DRAFT, S.REJECTED},
    "submit": {S.DRAFT},
    "approve": {S.SUBMITTED},
    "reject": {S.SUBMITTED},
    "reopen": {S.SUBMITTED, S.APPROVED},
}
ACTOR = {
    "save": "lea_a1",
    "submit": "lea_a1",
    "approve": "selpa_a",
    "reject": "selpa_a",
    "reopen": "cde_admin",
}


def request_for(action: str, cds: str = LEA_A1) -> tuple[str, dict[str, Any]]:
    if action == "save":
        return SAVE, save_input(cds, 15, 3, 2)
    if action == "submit":
        return SUBMIT, submit_input(cds)
    if action == "approve":
        return REVIEW, review_input(cds, "APPROVE")
    if action == "reject":
        return REVIEW, review_input(cds, "REJECT", "Recheck category B.")
    if action == "reopen":
        return REOPEN, {"cycle": CYCLE, "cdsCode": cds, "reason": "Data entry error reported."}
    return EXTEND, {"cycle": CYCLE, "cdsCode": cds, "dueAt": "2025-07-15T23:59:00-07:00"}


@pytest_asyncio.fixture
async def clients(
    cde_admin: GraphQLClient,
    cde_analyst: GraphQLClient,
    selpa_a: GraphQLClient,
    selpa_b: GraphQLClient,
    lea_a1: GraphQLClient,
    lea_b1: GraphQLClient,
    anonymous: GraphQLClient,
) -> dict[str, GraphQLClient]:
    """Every role's signed-in client, by fixture name."""
    return {
        "cde_admin": cde_admin,
        "cde_analyst": cde_analyst,
        "selpa_a": selpa_a,
        "selpa_b": selpa_b,
        "lea_a1": lea_a1,
        "lea_b1": lea_b1,
        "anonymous": anonymous,
    }


NOT_IN_WORKFLOW = [
    (action, status) for action in ALLOWED for status in S if status not in ALLOWED[action]
]


@pytest.mark.parametrize(("action", "status"), NOT_IN_WORKFLOW)
async def test_a_transition_outside_the_workflow_is_invalid_state(
    clients: dict[str, GraphQLClient], world: World, action: str, status: SubmissionStatus
) -> None:
    # given a submission in a status the action does not start from
    client: GraphQLClient = clients[ACTOR[action]]
    await force_state(world.lea_a1, status, (15, 3, 2))
    before = await snapshot(world.lea_a1)
    # when the role allowed to act tries it
    query, data = request_for(action)
    result = await client.execute(query, i=data)
    # then it is refused as INVALID_STATE and nothing changes
    assert not result.errors, result.errors
    assert codes(result.data[FIELD[action]]) == ["INVALID_STATE"]
    assert await snapshot(world.lea_a1) == before


@pytest.mark.parametrize(
    ("action", "status"), [(a, s) for a in ALLOWED for s in sorted(ALLOWED[a])]
)
async def test_every_transition_of_the_workflow_is_allowed(
    clients: dict[str, GraphQLClient], world: World, action: str, status: SubmissionStatus
) -> None:
    client: GraphQLClient = clients[ACTOR[action]]
    await force_state(world.lea_a1, status, (15, 3, 2))
    before = await snapshot(world.lea_a1)
    query, data = request_for(action)
    payload = (await client.execute(query, i=data)).data[FIELD[action]]
    assert payload["userErrors"] == []
    after = await snapshot(world.lea_a1)
    assert (after.version, after.events, after.audits) == (
        before.version + 1,
        before.events + 1,
        before.audits + 1,
    )


# (client, action, CDS code, expected): FORBIDDEN for a visible record, NOT_FOUND for a foreign one
ROLE_CASES = [
    ("cde_admin", "save", LEA_A1, "FORBIDDEN"),
    ("cde_analyst", "save", LEA_A1, "FORBIDDEN"),
    ("selpa_b", "save", LEA_A1, "NOT_FOUND"),
    ("lea_b1", "save", LEA_A1, "NOT_FOUND"),
    ("lea_a1", "save", LEA_A2, "NOT_FOUND"),
    ("anonymous", "save", LEA_A1, "UNAUTHENTICATED"),
    ("cde_admin", "submit", LEA_A1, "FORBIDDEN"),
    ("cde_analyst", "submit", LEA_A1, "FORBIDDEN"),
    ("selpa_b", "submit", LEA_A1, "NOT_FOUND"),
    ("lea_b1", "submit", LEA_A1, "NOT_FOUND"),
    ("lea_a1", "approve", LEA_A1, "FORBIDDEN"),
    ("lea_a1", "reject", LEA_A1, "FORBIDDEN"),
    ("cde_admin", "approve", LEA_A1, "FORBIDDEN"),
    ("cde_analyst", "reject", LEA_A1, "FORBIDDEN"),
    ("selpa_b", "approve", LEA_A1, "NOT_FOUND"),
    ("lea_b1", "reject", LEA_A1, "NOT_FOUND"),
    ("cde_analyst", "reopen", LEA_A1, "FORBIDDEN"),
    ("selpa_a", "reopen", LEA_A1, "FORBIDDEN"),
    ("lea_a1", "reopen", LEA_A1, "FORBIDDEN"),
    ("selpa_b", "reopen", LEA_A1, "NOT_FOUND"),
    ("lea_b1", "reopen", LEA_A1, "NOT_FOUND"),
    ("cde_analyst", "extend", LEA_A1, "FORBIDDEN"),
    ("selpa_a", "extend", LEA_A1, "FORBIDDEN"),
    ("lea_a1", "extend", LEA_A1, "FORBIDDEN"),
    ("selpa_b", "extend", LEA_A1, "NOT_FOUND"),
    ("lea_b1", "extend", LEA_A1, "NOT_FOUND"),
]


@pytest.mark.parametrize(("who", "action", "cds", "expected"), ROLE_CASES)
async def test_a_role_not_allowed_is_forbidden_or_finds_nothing(
    clients: dict[str, GraphQLClient], world: World, who: str, action: str, cds: str, expected: str
) -> None:
    # given a submission the action would otherwise apply to
    start = S.DRAFT if action in ("save", "submit") else S.SUBMITTED
    for membership in (world.lea_a1, world.lea_a2):
        await force_state(membership, start, (15, 3, 2) if cds == LEA_A1 else (8, 2, 2))
    target = world.lea_a1 if cds == LEA_A1 else world.lea_a2
    before = await snapshot(target)
    client: GraphQLClient = clients[who]
    # when a role not allowed tries it
    query, data = request_for(action, cds)
    result = await client.execute(query, i=data)
    # then the answer follows SPEC §10, and nothing changes
    if expected == "NOT_FOUND":
        assert not result.errors, result.errors
        payload = result.data[FIELD[action]]
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
            ("NOT_FOUND", ["input", "cdsCode"])
        ]
        assert payload["submission"] is None
    else:
        assert result.codes == [expected]
        assert result.data.get(FIELD[action]) is None
    assert await snapshot(target) == before


@pytest.mark.parametrize(
    ("who", "name", "expected"),
    [
        ("cde_analyst", CYCLE, "FORBIDDEN"),
        ("selpa_a", CYCLE, "FORBIDDEN"),
        ("lea_a1", CYCLE, "FORBIDDEN"),
        ("selpa_a", "2025-26", "NOT_FOUND"),
        ("lea_b1", "2025-26", "NOT_FOUND"),
    ],
)
@pytest.mark.parametrize("mutation", ["openCycle", "closeCycle"])
async def test_only_cde_admin_opens_and_closes_cycles(
    clients: dict[str, GraphQLClient],
    world: World,
    who: str,
    name: str,
    expected: str,
    mutation: str,
) -> None:
    other = await make_cycle("2025-26")
    client: GraphQLClient = clients[who]
    result = await client.execute(OPEN_CYCLE if mutation == "openCycle" else CLOSE_CYCLE, n=name)
    if expected == "NOT_FOUND":
        assert codes(result.data[mutation]) == ["NOT_FOUND"]
    else:
        assert result.codes == [expected]
    await world.cycle.refresh_from_db()
    await other.refresh_from_db()
    assert (world.cycle.status.value, other.status.value) == ("OPEN", "DRAFT")


async def test_a_selpa_saves_and_submits_for_its_own_lea(
    world: World, selpa_a: GraphQLClient
) -> None:
    saved = await selpa_a.execute(SAVE, i=save_input(LEA_A2, 8, 2, 2))
    assert saved.data["saveCounts"]["submission"]["totalMatchesSample"] is True
    submitted = await selpa_a.execute(SUBMIT, i=submit_input(LEA_A2))
    assert submitted.data["submitSubmission"]["submission"]["status"] == "SUBMITTED"
    history = await selpa_a.execute(
        "query($c: String!, $l: String!) { submission(cycle: $c, cdsCode: $l) "
        "{ events { actorRole actorScope action } } }",
        c=CYCLE,
        l=LEA_A2,
    )
    assert history.data["submission"]["events"] == [
        {"actorRole": "SELPA", "actorScope": "1001", "action": "save"},
        {"actorRole": "SELPA", "actorScope": "1001", "action": "submit"},
    ]


async def test_an_exempt_lea_needs_no_submission(world: World, selpa_b: GraphQLClient) -> None:
    before = await snapshot(world.lea_b2)
    result = await selpa_b.execute(SAVE, i=save_input(LEA_B2, 0, 0, 0))
    assert codes(result.data["saveCounts"]) == ["INVALID_STATE"]
    assert await snapshot(world.lea_b2) == before


async def test_reopen_returns_to_draft_and_tells_submitter_and_selpa(
    world: World, cde_admin: GraphQLClient
) -> None:
    # given an approved submission
    await force_state(world.lea_a1, S.APPROVED, (15, 3, 2), review_decision="APPROVE")
    # when CDE reopens it with a reason
    query, data = request_for("reopen")
    payload = (await cde_admin.execute(query, i=data)).data["reopenSubmission"]
    # then it is a draft again, and both the submitter and the SELPA are told
    assert payload["submission"]["status"] == "DRAFT"
    rows = await OutboxMessage.all().order_by("recipient").values_list("kind", "recipient")
    assert rows == [
        ("reopened", "pat.example@lea.example.org"),
        ("reopened", world.selpa_a.contact_email),
    ]
