"""Regression tests of a year run as a state office runs it: ROSTER_MISSING is never exempt,
a reopened LEA gets a due time it can meet, and a cycle closes only when its work is done."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tortoise.context import TortoiseContext

from iepimp.generate import DIRECTORY_COLUMNS
from kernel.errors import ErrorCode
from models import AuditEvent, Cycle, LeaCycle, OutboxMessage
from models.cycles.bands import NO_SWD_REASON
from models.shared.enums import CycleStatus, ReportGrouping, SubmissionStatus
from resolvers.audit.draw_audit_selection import draw_audit_selection
from resolvers.cycles.draw_sample import draw_cycle_samples
from resolvers.cycles.exempt_lea import ExemptLea, exempt_lea
from resolvers.cycles.sampling_report import sampling_report
from resolvers.directory.import_directory import import_directory
from resolvers.directory.import_file import ImportRefused
from resolvers.reports.aggregate import aggregate
from tests.support.clients import GraphQLClient
from tests.support.factories import (
    BEFORE_DUE,
    LEA_A1,
    LEA_A2,
    LEA_B1,
    FakeClock,
    World,
    make_cycle,
    make_lea,
    make_selpa,
)
from tests.support.workflow_support import (
    CYCLE,
    OPEN_CYCLE,
    REOPEN,
    admin_principal,
    force_state,
)

AFTER_DUE = datetime(2025, 7, 20, 19, 0, tzinfo=UTC)  # 2025-07-20 12:00 PDT
CLOSE = (
    "mutation($n: String!, $f: Boolean!, $r: String) { closeCycle(name: $n, force: $f, "
    "reason: $r) { cycle { status } userErrors { field code message } } }"
)
MISSING_CDS = "30000000000001"


async def test_open_refuses_a_required_lea_without_roster_naming_it(
    world: World, clock: FakeClock, cde_admin: GraphQLClient
) -> None:
    # given a draft cycle and a required LEA whose roster was never loaded (N = 0 at the draw)
    await Cycle.filter(id=world.cycle.id).update(status=CycleStatus.DRAFT)
    await world.cycle.refresh_from_db()
    await make_lea(world.cycle, MISSING_CDS, world.selpa_a, 0, declared_none=False)
    await draw_cycle_samples(world.cycle, clock())
    # then it is not made exempt …
    membership = await LeaCycle.get(lea__cds_code=MISSING_CDS)
    assert (membership.required, membership.exempt_reason) == (True, None)
    # … the sampling report lists it as ROSTER_MISSING …
    rows = [r for r in await sampling_report(world.cycle) if r[1] == MISSING_CDS]
    assert rows == [
        ["LEA", MISSING_CDS, f"LEA {MISSING_CDS}", "all", "ROSTER_MISSING", "0", "", "", ""]
    ]
    # … the report counts it required and not started (missing), not exempt …
    (state,) = await aggregate(admin_principal(), world.cycle, [ReportGrouping.STATE])
    assert (state.required, state.exempt, state.not_started) == (4, 1, 4)
    # … and opening is refused with ROSTER_MISSING naming it
    refused = (await cde_admin.execute(OPEN_CYCLE, n=CYCLE)).data["openCycle"]
    assert [e["code"] for e in refused["userErrors"]] == [ErrorCode.ROSTER_MISSING.value]
    assert MISSING_CDS in refused["userErrors"][0]["message"]
    assert refused["cycle"]["status"] == "DRAFT"


def _directory(path: Path, rows: list[list[str]]) -> Path:
    lines = [",".join(DIRECTORY_COLUMNS), *(",".join(r) for r in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _row(cds: str, required: str, swd: str, reason: str) -> list[str]:
    contact = ["Dana", "d@example.org"]
    return [cds, "LEA", "district", "1234", "", "", "", *contact, required, "true", swd, reason]


async def test_the_directory_records_exemptions_explicitly(
    db: TortoiseContext, tmp_path: Path
) -> None:
    # given a cycle and a directory declaring one LEA with no SWDs and one exempt with a reason
    cycle = await make_cycle()
    await make_selpa("1234")
    rows = [
        _row("11111111111111", "true", "0", ""),
        _row("22222222222222", "false", "", "Closed; merged into 11111111111112"),
        _row("33333333333333", "true", "", ""),
    ]
    await import_directory(cycle.name, _directory(tmp_path / "d.csv", rows), BEFORE_DUE)
    # then the exemptions carry their recorded reason; the plain row stays required
    members = dict(await LeaCycle.filter(cycle=cycle).values_list("lea__cds_code", "exempt_reason"))
    assert members == {
        "11111111111111": NO_SWD_REASON,
        "22222222222222": "Closed; merged into 11111111111112",
        "33333333333333": None,
    }
    required = await LeaCycle.filter(cycle=cycle, required=True).count()
    assert required == 1


async def test_the_directory_refuses_a_reason_for_a_required_lea(
    db: TortoiseContext, tmp_path: Path
) -> None:
    cycle = await make_cycle()
    await make_selpa("1234")
    rows = [_row("11111111111111", "true", "", "why"), _row("22222222222222", "true", "x", "")]
    with pytest.raises(ImportRefused) as refused:
        await import_directory(cycle.name, _directory(tmp_path / "d.csv", rows), BEFORE_DUE)
    named = {(e.line, e.column) for e in refused.value.errors}
    assert named == {(2, "exempt_reason"), (3, "swd_count")}
    assert await LeaCycle.filter(cycle=cycle).count() == 0


async def test_a_reopen_after_the_due_time_gives_a_due_time_from_now(
    world: World, clock: FakeClock, cde_admin: GraphQLClient
) -> None:
    # given an approved submission, reopened after the cycle's due time (grace 10 days)
    await force_state(world.lea_a1, SubmissionStatus.APPROVED, (15, 3, 2))
    clock.now = AFTER_DUE
    await cde_admin.login(world.codes["CDE_ADMIN"])
    result = await cde_admin.execute(
        REOPEN, i={"cycle": CYCLE, "cdsCode": LEA_A1, "reason": "Audit correction."}
    )
    assert result.data["reopenSubmission"]["userErrors"] == []
    # then its due time moves to 2025-07-30 23:59 Pacific, recorded as an extension
    membership = await LeaCycle.get(id=world.lea_a1.id)
    assert membership.due_at_extension == datetime(2025, 7, 31, 6, 59, tzinfo=UTC)
    assert await AuditEvent.filter(action="submission.extend", target=LEA_A1).count() == 1
    # and the mail names that date, not the past one
    mail = await OutboxMessage.filter(kind="reopened").first()
    assert mail is not None
    assert "July 30, 2025" in mail.body_text
    assert "June 30, 2025" not in mail.body_text
    # and the LEA can save again
    await force_state(world.lea_a1, SubmissionStatus.DRAFT)
    (state,) = await aggregate(admin_principal(), world.cycle, [ReportGrouping.STATE])
    assert state.extensions_granted == 1


async def test_a_reopen_takes_a_given_due_time_but_not_a_past_one(
    world: World, clock: FakeClock, cde_admin: GraphQLClient
) -> None:
    await force_state(world.lea_a1, SubmissionStatus.SUBMITTED, (15, 3, 2))
    clock.now = AFTER_DUE
    await cde_admin.login(world.codes["CDE_ADMIN"])
    past = {"cycle": CYCLE, "cdsCode": LEA_A1, "reason": "x", "dueAt": "2025-07-01T10:00:00Z"}
    refused = (await cde_admin.execute(REOPEN, i=past)).data["reopenSubmission"]
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
        ("INVALID_INPUT", ["input", "dueAt"])
    ]
    given = {**past, "dueAt": "2025-08-15T23:59:00-07:00"}
    assert (await cde_admin.execute(REOPEN, i=given)).data["reopenSubmission"]["userErrors"] == []
    membership = await LeaCycle.get(id=world.lea_a1.id)
    assert membership.due_at_extension == datetime(2025, 8, 16, 6, 59, tzinfo=UTC)


async def test_close_is_refused_while_work_is_open_then_forced_with_a_reason(
    world: World, clock: FakeClock, cde_admin: GraphQLClient
) -> None:
    # given, after the due time: one submission waiting for review, one LEA whose extension
    # still runs, one rejected two days ago (within the 10-day grace)
    clock.now = AFTER_DUE
    await cde_admin.login(world.codes["CDE_ADMIN"])
    await force_state(world.lea_a1, SubmissionStatus.SUBMITTED, (15, 3, 2))
    await LeaCycle.filter(id=world.lea_a2.id).update(due_at_extension=AFTER_DUE + timedelta(days=3))
    await force_state(
        world.lea_b1,
        SubmissionStatus.REJECTED,
        (10, 10, 5),
        review_decision="REJECT",
        reviewed_at=AFTER_DUE - timedelta(days=2),
    )
    # when CDE closes the cycle, it is refused naming the three LEAs
    refused = (await cde_admin.execute(CLOSE, n=CYCLE, f=False)).data["closeCycle"]
    assert [e["code"] for e in refused["userErrors"]] == ["INVALID_STATE"]
    message = refused["userErrors"][0]["message"]
    assert f"{LEA_A1} (awaiting review)" in message
    assert f"{LEA_A2} (extension open)" in message
    assert f"{LEA_B1} (resubmission grace open)" in message
    assert refused["cycle"]["status"] == "OPEN"
    # when forced without a reason, it is refused naming the field
    bare = (await cde_admin.execute(CLOSE, n=CYCLE, f=True)).data["closeCycle"]
    assert [(e["code"], e["field"]) for e in bare["userErrors"]] == [("INVALID_INPUT", ["reason"])]
    # when forced with a reason, it closes and the reason and the LEAs are recorded
    forced = await cde_admin.execute(CLOSE, n=CYCLE, f=True, r="Federal deadline.")
    assert forced.data["closeCycle"] == {"cycle": {"status": "CLOSED"}, "userErrors": []}
    event = await AuditEvent.get(action="cycle.close")
    assert event.detail["forced"] is True
    assert event.detail["reason"] == "Federal deadline."
    assert len(event.detail["blockers"]) == 3


async def test_close_goes_ahead_once_the_work_is_done(
    world: World, clock: FakeClock, cde_admin: GraphQLClient
) -> None:
    # given, after the due time and the grace, approvals and a lapsed extension
    clock.now = AFTER_DUE + timedelta(days=11)
    await cde_admin.login(world.codes["CDE_ADMIN"])
    await force_state(world.lea_a1, SubmissionStatus.APPROVED, (15, 3, 2))
    await LeaCycle.filter(id=world.lea_a2.id).update(due_at_extension=AFTER_DUE)
    await force_state(
        world.lea_b1, SubmissionStatus.REJECTED, review_decision="REJECT", reviewed_at=AFTER_DUE
    )
    closed = (await cde_admin.execute(CLOSE, n=CYCLE, f=False)).data["closeCycle"]
    assert closed == {"cycle": {"status": "CLOSED"}, "userErrors": []}


async def test_the_audit_population_leaves_out_exempt_leas_and_names_running_extensions(
    world: World,
) -> None:
    # given two LEAs submitted, one of them then made exempt, and one LEA still in extension
    await force_state(world.lea_a1, SubmissionStatus.SUBMITTED, (15, 3, 2))
    await force_state(world.lea_b1, SubmissionStatus.APPROVED, (10, 10, 5))
    exempted = await exempt_lea(
        admin_principal(), ExemptLea(CYCLE, LEA_B1, "Merged into another LEA."), AFTER_DUE
    )
    assert exempted.errors == ()
    await LeaCycle.filter(id=world.lea_a2.id).update(due_at_extension=AFTER_DUE + timedelta(days=5))
    # when CDE draws the audit after the due time
    result = await draw_audit_selection(admin_principal(), CYCLE, AFTER_DUE)
    # then only the required LEA that submitted is drawn; the one in extension is named
    assert result.errors == ()
    assert [m.lea.cds_code for m in result.selected] == [LEA_A1]
    assert result.waiting == [LEA_A2]
    event = await AuditEvent.get(action="audit.drawn")
    assert event.detail["submitted"] == 1
    assert await AuditEvent.filter(action="lea.exempt", target=LEA_B1).count() == 1


EXEMPT = (
    "mutation($i: ExemptLeaInput!) { exemptLea(input: $i) { lea { cdsCode required "
    "exemptReason } userErrors { field code message } } }"
)


async def test_cde_exempts_an_lea_with_a_reason_and_no_one_else_may(
    world: World, cde_admin: GraphQLClient, selpa_a: GraphQLClient
) -> None:
    given = {"cycle": CYCLE, "cdsCode": LEA_A2, "reason": "Closed in June."}
    # a SELPA may not
    assert (await selpa_a.execute(EXEMPT, i=given)).codes == ["FORBIDDEN"]
    # CDE without a reason is refused naming the field
    blank = (await cde_admin.execute(EXEMPT, i={**given, "reason": " "})).data["exemptLea"]
    assert [(e["code"], e["field"]) for e in blank["userErrors"]] == [("INVALID_INPUT", ["reason"])]
    # CDE with a reason records it
    done = (await cde_admin.execute(EXEMPT, i=given)).data["exemptLea"]
    assert done == {
        "lea": {"cdsCode": LEA_A2, "required": False, "exemptReason": "Closed in June."},
        "userErrors": [],
    }
