"""Access codes in bulk (issue-codes), issueAccessCode / revokeAccessCode, and the audit draw."""

from __future__ import annotations

import argparse
import csv
import hashlib
import hmac
import math
import os
import stat
from datetime import timedelta
from pathlib import Path

from starlette.applications import Starlette

from iepimp.admin_commands import issue_codes_command
from kernel.settings import Settings
from models import AccessCode, AuditEvent, AuditSelection, Cycle, OutboxMessage, Submission
from models.shared.enums import CycleStatus, SubmissionStatus
from tests.support.clients import GraphQLClient
from tests.support.factories import DUE, LEA_A1, LEA_A2, LEA_B1, FakeClock, World

VIEWER = "{ viewer { role } }"
LEA_QUERY = '{ lea(cycle: "2024-25", cdsCode: "' + LEA_B1 + '") { name } }'
ISSUE = """mutation($i: IssueAccessCodeInput!) { issueAccessCode(input: $i) {
  accessCode code { id role cycle scope } userErrors { field code } } }"""
REVOKE = """mutation($id: ID!) { revokeAccessCode(input: {id: $id}) {
  code { id revokedAt } sessionsEnded userErrors { field code } } }"""
DRAW = """mutation($c: String!) { drawAuditSelection(cycle: $c) {
  selected { cdsCode } seed drawnAt userErrors { field code } } }"""


async def test_issue_codes_writes_an_owner_only_file_of_working_codes(
    world: World, app: Starlette, settings: Settings, tmp_path: Path
) -> None:
    # given a cycle whose scopes already hold codes
    out = tmp_path / "codes.csv"
    args = argparse.Namespace(cycle="2024-25", out=str(out), reissue=True)
    # when codes are issued in bulk (replacing the live ones)
    assert await issue_codes_command(args, settings) == 0
    # then the file is owner-only and has one code per SELPA and per required LEA
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    with out.open() as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["role"], r["scope_code"]) for r in rows] == [
        ("SELPA", "1001"),
        ("SELPA", "2002"),
        ("LEA", LEA_A1),
        ("LEA", LEA_A2),
        ("LEA", LEA_B1),
    ]
    # and each new code signs in, while the replaced one no longer does
    for row in rows:
        client = GraphQLClient(app)
        await client.login(row["access_code"])
        assert (await client.execute(VIEWER)).data["viewer"]["role"] == row["role"]
    old = GraphQLClient(app)
    await old.login(world.codes["LEA_A1"])
    assert old.token is None
    # and a second run refuses to overwrite the file
    assert await issue_codes_command(args, settings) == 2


async def test_issue_codes_skips_scopes_that_hold_a_live_code(
    world: World, settings: Settings, tmp_path: Path, clock: FakeClock
) -> None:
    # given LEA A2's code revoked, every other scope holding a live one
    await AccessCode.filter(lea__cds_code=LEA_A2).update(revoked_at=clock.now)
    out = tmp_path / "codes.csv"
    args = argparse.Namespace(cycle="2024-25", out=str(out), reissue=False)
    # when codes are issued without --reissue, only LEA A2 gets one
    assert await issue_codes_command(args, settings) == 0
    with out.open() as handle:
        assert [r["scope_code"] for r in csv.DictReader(handle)] == [LEA_A2]


async def test_issue_and_revoke_by_id_end_the_sessions(
    world: World, app: Starlette, cde_admin: GraphQLClient
) -> None:
    # given a code issued by a CDE administrator and a client signed in with it
    issued = await cde_admin.execute(ISSUE, i={"role": "LEA", "cycle": "2024-25", "scope": LEA_B1})
    payload = issued.data["issueAccessCode"]
    assert payload["userErrors"] == [] and payload["code"]["scope"] == LEA_B1
    client = GraphQLClient(app)
    await client.login(payload["accessCode"])
    assert (await client.execute(LEA_QUERY)).data["lea"] == {"name": f"LEA {LEA_B1}"}
    # the list names it by id, without its value
    listed = await cde_admin.execute(
        'query($s: String!) { accessCodes(cycle: "2024-25", scope: $s) '
        "{ edges { node { id revokedAt } } } }",
        s=LEA_B1,
    )
    ids = [e["node"]["id"] for e in listed.data["accessCodes"]["edges"]]
    assert payload["code"]["id"] in ids and payload["accessCode"] not in str(listed.body)
    # when it is revoked
    revoked = (await cde_admin.execute(REVOKE, id=payload["code"]["id"])).data["revokeAccessCode"]
    assert revoked["userErrors"] == [] and revoked["sessionsEnded"] == 1
    # then the session is dead, and revoking again is already done
    assert (await client.execute(LEA_QUERY)).codes == ["UNAUTHENTICATED"]
    again = (await cde_admin.execute(REVOKE, id=payload["code"]["id"])).data["revokeAccessCode"]
    assert [e["code"] for e in again["userErrors"]] == ["ALREADY_DONE"]
    missing = (await cde_admin.execute(REVOKE, id="999999")).data["revokeAccessCode"]
    assert [e["code"] for e in missing["userErrors"]] == ["NOT_FOUND"]


async def test_issue_refusals_and_roles(
    world: World,
    cde_admin: GraphQLClient,
    cde_analyst: GraphQLClient,
    selpa_a: GraphQLClient,
    lea_a1: GraphQLClient,
) -> None:
    bad = await cde_admin.execute(ISSUE, i={"role": "LEA", "cycle": "2024-25", "scope": "123"})
    assert bad.data["issueAccessCode"]["userErrors"] == [
        {"field": ["input", "scope"], "code": "INVALID_INPUT"}
    ]
    missing = await cde_admin.execute(
        ISSUE, i={"role": "SELPA", "cycle": "2024-25", "scope": "7777"}
    )
    assert [e["code"] for e in missing.data["issueAccessCode"]["userErrors"]] == ["NOT_FOUND"]
    for client in (cde_analyst, selpa_a, lea_a1):
        result = await client.execute(ISSUE, i={"role": "LEA", "cycle": "2024-25", "scope": LEA_A1})
        assert result.codes == ["FORBIDDEN"]
        assert (await client.execute(REVOKE, id="1")).codes == ["FORBIDDEN"]
        assert (await client.execute(DRAW, c="2024-25")).codes == ["FORBIDDEN"]


async def _submit(world: World, *cds_codes: str) -> None:
    for i, cds in enumerate(cds_codes):
        status = SubmissionStatus.APPROVED if i % 2 else SubmissionStatus.SUBMITTED
        await Submission.filter(cycle=world.cycle, lea__cds_code=cds).update(status=status)


async def _admin_now(app: Starlette, world: World) -> GraphQLClient:
    client = GraphQLClient(app)
    await client.login(world.codes["CDE_ADMIN"])
    return client


async def test_audit_draw_reproduces_from_its_seed_and_queues_notices(
    world: World, app: Starlette, clock: FakeClock
) -> None:
    # given three LEAs that submitted
    await _submit(world, LEA_A1, LEA_A2, LEA_B1)
    admin = await _admin_now(app, world)
    # before the due time has passed the draw is refused
    clock.now = DUE + timedelta(seconds=59)
    admin = await _admin_now(app, world)
    early = (await admin.execute(DRAW, c="2024-25")).data["drawAuditSelection"]
    assert [e["code"] for e in early["userErrors"]] == ["INVALID_STATE"]
    # when CDE draws after the due time
    clock.now = DUE + timedelta(minutes=1)
    admin = await _admin_now(app, world)
    drawn = (await admin.execute(DRAW, c="2024-25")).data["drawAuditSelection"]
    assert drawn["userErrors"] == []
    # then ⌈10 %⌉ of the submitters are selected, by HMAC-SHA-256(seed, CDS code)
    seed = drawn["seed"]
    ranked = sorted(
        (LEA_A1, LEA_A2, LEA_B1),
        key=lambda cds: hmac.new(seed.encode(), cds.encode(), hashlib.sha256).hexdigest(),
    )
    expected = ranked[: math.ceil(3 / 10)]
    assert [s["cdsCode"] for s in drawn["selected"]] == expected
    cycle = await Cycle.get(id=world.cycle.id)
    assert cycle.audit_seed == seed and cycle.audit_drawn_at == clock.now
    rows = await AuditSelection.filter(cycle=cycle).values_list("lea__cds_code", "rank")
    assert rows == [(expected[0], 1)]
    assert await AuditEvent.filter(cycle=cycle, action="audit.drawn").count() == 1
    # and the notices are queued to the LEA contact and its SELPA contact
    recipients = set(
        await OutboxMessage.filter(kind="audit_selected").values_list("recipient", flat=True)
    )
    selpa = "selpa1001@example.org" if expected[0] != LEA_B1 else "selpa2002@example.org"
    assert recipients == {f"director{expected[0]}@example.org", selpa}
    # and a second draw is refused
    again = (await admin.execute(DRAW, c="2024-25")).data["drawAuditSelection"]
    assert [e["code"] for e in again["userErrors"]] == ["ALREADY_DONE"]
    assert await AuditSelection.filter(cycle=cycle).count() == 1


async def test_audit_draw_refuses_a_draft_cycle_and_a_missing_one(
    world: World, app: Starlette, clock: FakeClock
) -> None:
    await _submit(world, LEA_A1)
    await Cycle.filter(id=world.cycle.id).update(status=CycleStatus.DRAFT)
    clock.now = DUE + timedelta(days=2)
    admin = await _admin_now(app, world)
    draft = (await admin.execute(DRAW, c="2024-25")).data["drawAuditSelection"]
    assert [e["code"] for e in draft["userErrors"]] == ["CYCLE_NOT_OPEN"]
    missing = (await admin.execute(DRAW, c="2030-31")).data["drawAuditSelection"]
    assert [e["code"] for e in missing["userErrors"]] == ["NOT_FOUND"]
    assert await Cycle.filter(audit_drawn_at__isnull=False).count() == 0


async def test_concurrent_audit_draws_record_one_selection(world: World, clock: FakeClock) -> None:
    import asyncio

    from models.shared.enums import Role
    from resolvers.audit.draw_audit_selection import draw_audit_selection
    from resolvers.shared.principal import Principal

    # given submitters and a passed due time
    await _submit(world, LEA_A1, LEA_A2, LEA_B1)
    admin = Principal(role=Role.CDE_ADMIN, access_code_id=0)
    after = DUE + timedelta(minutes=1)
    # when ten draws race
    results = await asyncio.gather(
        *(
            draw_audit_selection(admin, "2024-25", after, seed=f"seed-{i:02d}-" * 3)
            for i in range(10)
        )
    )
    # then exactly one wins; the others are told it is done, and one selection is recorded
    winners = [r for r in results if not r.errors]
    assert len(winners) == 1
    assert {e.code.value for r in results for e in r.errors} == {"ALREADY_DONE"}
    cycle = await Cycle.get(id=world.cycle.id)
    assert await AuditSelection.filter(cycle=cycle).count() == 1
    assert await AuditEvent.filter(cycle=cycle, action="audit.drawn").count() == 1
    assert await OutboxMessage.filter(kind="audit_selected").count() == 2
