"""A cycle's year in one test, as the state office runs it (SPEC §3), every figure of its
reports worked out by hand.

Fourteen synthetic LEAs in three SELPAs and two counties (tests/support/year_support.py):
sample sizes by the band table (1–199 students: 20, at most N; 200–4 999: ⌈10 %⌉):
ON_TIME_1 8→8, ON_TIME_2 30→20, EXTENDED_1 250→25, EXEMPT (swd_count 0), REJECTED 12→12,
ON_TIME_3 3→3, REOPENED 40→20, ON_TIME_4 5→5, EXTENDED_2 20→20, DRAFT_ONLY 15→15,
ON_TIME_5 25→20, ON_TIME_6 10→10; added while OPEN: LATE 18→18 and NO_ROSTER (no roster).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from tortoise.context import TortoiseContext

from kernel.errors import ErrorCode
from models import LeaCycle, OutboxMessage
from models.cycles.bands import NO_SWD_REASON
from models.shared.deadlines import pacific_minute
from models.shared.enums import Role
from resolvers.access.issue_access_code import issue_code
from resolvers.cycles.draw_sample import draw_cycle_samples
from resolvers.cycles.roster_missing import roster_missing
from resolvers.directory.import_directory import import_directory
from resolvers.directory.import_roster import import_roster
from tests.support import year_support as y
from tests.support.factories import SECRET, FakeClock
from tests.support.workflow_support import (
    CLOSE_CYCLE,
    CYCLE,
    OPEN_CYCLE,
    REOPEN,
    SUBMITTER,
)
from tests.support.year_audit import run_audit
from tests.support.year_publish import WITHHELD, publish


async def test_a_cycle_runs_its_whole_year(
    db: TortoiseContext, app: Starlette, clock: FakeClock, tmp_path: Path
) -> None:
    # --- 1 March, DRAFT: create, import directory and roster, draw, codes, open -------------
    clock.now = y.at(3, 1)
    cycle = await y.new_cycle()
    await import_directory(CYCLE, y.write_directory(tmp_path / "d.csv", y.FIRST_DIRECTORY), clock())
    rostered = [lea for lea in y.FIRST_DIRECTORY if lea.swd]
    loaded = await import_roster(CYCLE, y.write_roster(tmp_path / "r.csv", rostered), clock())
    # 8+30+250+12+3+40+5+20+15+25+10 = 418 students in 11 LEAs
    assert (loaded.inserted, loaded.leas_changed) == (418, 11)
    drawn = await draw_cycle_samples(cycle, clock())
    sizes = {d.cds_code: d.sample_size for d in drawn}
    pairs = [(y.ON_TIME_1, 8), (y.ON_TIME_2, 20), (y.EXTENDED_1, 25), (y.EXEMPT, 0)]
    pairs += [(y.REJECTED, 12), (y.ON_TIME_3, 3), (y.REOPENED, 20), (y.ON_TIME_4, 5)]
    pairs += [(y.EXTENDED_2, 20), (y.DRAFT_ONLY, 15), (y.ON_TIME_5, 20), (y.ON_TIME_6, 10)]
    assert sizes == {lea.cds: n for lea, n in pairs}
    exempt = await LeaCycle.get(lea__cds_code=y.EXEMPT.cds)
    assert (exempt.required, exempt.exempt_reason) == (False, NO_SWD_REASON)
    office = y.Office(app, clock)
    office.codes[y.ADMIN] = (await issue_code(SECRET, Role.CDE_ADMIN, clock())).code
    # one code per SELPA and per required LEA (the exempt LEA gets none)
    issued = await office.hand_out_codes(cycle)
    assert issued == ["0110", "1910", "1920", *sorted(set(sizes) - {y.EXEMPT.cds})]
    opened = await office.as_admin(OPEN_CYCLE, n=CYCLE)
    assert opened.data["openCycle"] == {
        "cycle": {"name": CYCLE, "status": "OPEN"},
        "userErrors": [],
    }

    # --- 15 May: on-time submissions, approvals, a draft, two extensions ---------------------
    office.day(5, 15)
    on_time = {
        y.ON_TIME_1: (6, 1, 1),
        y.ON_TIME_2: (15, 3, 2),
        y.ON_TIME_3: (3, 0, 0),
        y.ON_TIME_4: (5, 0, 0),
        y.ON_TIME_5: (12, 6, 2),
        y.REOPENED: (16, 2, 2),
    }
    for lea, counts in on_time.items():
        await office.save_and_submit(lea, *counts)
        approved = await office.review(lea, "APPROVE")
        assert approved["submission"]["status"] == "APPROVED"
    # a one-person SELPA enters, submits and approves its LEA's counts: marked self-reviewed
    await office.save_and_submit(y.ON_TIME_6, 8, 1, 1, by=y.ON_TIME_6.selpa)
    await office.review(y.ON_TIME_6, "APPROVE")
    assert (await office.certified(y.ON_TIME_6))["selfReviewed"] is True
    await office.save_and_submit(y.REJECTED, 10, 1, 1)
    # the audit is drawn only after the cycle's due time
    early = (await office.as_admin(y.DRAW_AUDIT, c=CYCLE)).data["drawAuditSelection"]
    assert [e["code"] for e in early["userErrors"]] == [ErrorCode.INVALID_STATE.value]
    assert (await office.save(y.DRAFT_ONLY, 7, 3, 5))["userErrors"] == []
    await office.extend(y.EXTENDED_1, date(2025, 7, 15))
    await office.extend(y.EXTENDED_2, date(2025, 7, 31))

    # --- 20 May, OPEN: two LEAs added late; one brings its own roster -----------------------
    office.day(5, 20)
    late_directory = [*y.FIRST_DIRECTORY, y.LATE, y.NO_ROSTER]
    await import_directory(CYCLE, y.write_directory(tmp_path / "d2.csv", late_directory), clock())
    assert await roster_missing(cycle.id) == [y.LATE.cds, y.NO_ROSTER.cds]
    loaded = await import_roster(CYCLE, y.write_roster(tmp_path / "r2.csv", [y.LATE]), clock())
    assert (loaded.inserted, loaded.leas_changed) == (18, 1)
    await cycle.refresh_from_db()
    late_draw = await draw_cycle_samples(cycle, clock())
    assert [(d.cds_code, d.population, d.sample_size) for d in late_draw] == [(y.LATE.cds, 18, 18)]
    assert await roster_missing(cycle.id) == [y.NO_ROSTER.cds]
    assert await office.hand_out_codes(cycle) == [y.LATE.cds, y.NO_ROSTER.cds]
    await office.save_and_submit(y.LATE, 15, 2, 1)
    # the LEA still without a roster has nothing to submit (no sample, no submission)
    empty = await office.save(y.NO_ROSTER, 0, 0, 0)
    assert [e["code"] for e in empty["userErrors"]] == [ErrorCode.NOT_FOUND.value]
    await office.review(y.LATE, "APPROVE")

    # --- 29 June: the SELPA rejects one submission ------------------------------------------
    office.day(6, 29)
    rejected = await office.review(y.REJECTED, "REJECT", "Counts B and C are swapped.")
    assert rejected["submission"]["status"] == "REJECTED"

    # --- 2 July, after the due time: refusals, late work, the grace, a reopen ---------------
    office.day(7, 2)
    late_draft = await office.save(y.DRAFT_ONLY, 7, 3, 5)
    assert [e["code"] for e in late_draft["userErrors"]] == [ErrorCode.DEADLINE_PASSED.value]
    await office.save_and_submit(y.EXTENDED_1, 20, 4, 1)
    reopened = await office.as_admin(
        REOPEN, i={"cycle": CYCLE, "cdsCode": y.REOPENED.cds, "reason": "C miscounted."}
    )
    assert reopened.data["reopenSubmission"]["submission"]["status"] == "DRAFT"
    # the cycle's due time has passed: the new due time is 2 July + 10 grace days, 23:59 PDT
    new_due = (await LeaCycle.get(lea__cds_code=y.REOPENED.cds)).due_at_extension
    assert new_due == pacific_minute(date(2025, 7, 12))
    mails = await OutboxMessage.filter(kind="reopened").order_by("recipient")
    # to the submitter and the SELPA, naming the new due time
    assert [m.recipient for m in mails] == [SUBMITTER["email"], "s1910@example.org"]
    assert all("July 12, 2025" in m.body_text for m in mails)
    assert not any("June 30, 2025" in m.body_text for m in mails)
    await office.save_and_submit(y.REOPENED, 14, 4, 2)

    # --- 5 July: closing is refused, naming the LEAs whose work still runs -------------------
    office.day(7, 5)
    refused = (await office.as_admin(CLOSE_CYCLE, n=CYCLE)).data["closeCycle"]
    assert refused["cycle"]["status"] == "OPEN"
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
        (["name"], ErrorCode.INVALID_STATE.value)
    ]
    assert refused["userErrors"][0]["message"] == (
        f"4 LEA(s) keep the cycle open: {y.EXTENDED_1.cds} (awaiting review), "
        f"{y.REJECTED.cds} (resubmission grace open), {y.REOPENED.cds} (awaiting review), "
        f"{y.EXTENDED_2.cds} (extension open). Wait, or close with force and a reason."
    )
    # the rejection of 29 June leaves 10 days' grace (to 9 July) past the due time
    office.day(7, 6)
    await office.save_and_submit(y.REJECTED, 9, 2, 1)
    for lea in (y.EXTENDED_1, y.REJECTED, y.REOPENED):
        await office.review(lea, "APPROVE")
    assert await office.certified(y.EXTENDED_1) == {
        "status": "APPROVED",
        "reviewer": {"name": "Morgan Reviewer", "title": "SELPA Director"},
        "reviewCertificationText": cycle.selpa_certification_text,
        "selfReviewed": False,
    }

    # --- 20 July: the second extension is used; 1 August: the cycle closes -------------------
    office.day(7, 20)
    await office.save_and_submit(y.EXTENDED_2, 10, 5, 5)
    await office.review(y.EXTENDED_2, "APPROVE")
    office.day(8, 1)
    closed = (await office.as_admin(CLOSE_CYCLE, n=CYCLE)).data["closeCycle"]
    assert closed == {"cycle": {"name": CYCLE, "status": "CLOSED"}, "userErrors": []}

    await run_audit(office)
    await _report(office)
    await _publish(office)


async def _report(office: y.Office) -> None:
    async def counts(grouping: str) -> list[tuple[Any, ...]]:
        return [y.counts_of(row) for row in await office.report(grouping)]

    async def rates(grouping: str) -> list[tuple[Any, ...]]:
        return [y.rates_of(row) for row in await office.report(grouping)]

    # Approved A/B/C (the last approved counts; REJECTED 9/2/1 and REOPENED 14/4/2 as resubmitted)
    # SELPA 0110 = county 01: ON_TIME_1 6/1/1, ON_TIME_2 15/3/2, EXTENDED_1 20/4/1,
    #   REJECTED 9/2/1, ON_TIME_3 3/0/0 → A 53, B 10, C 5, total 68; EXEMPT apart (exempt 1);
    #   shares 53/68 = 77.94 %, 10/68 = 14.71 %, 5/68 = 7.35 %; 5 of 5 responded, all on time
    #   (EXTENDED_1 on 2 July within its extension to 15 July); 1 extension.
    # SELPA 1910: REOPENED 14/4/2, ON_TIME_4 5/0/0, EXTENDED_2 10/5/5 → 29/9/7 = 45;
    #   29/45 = 64.44 %, 9/45 = 20.00 %, 7/45 = 15.56 %; DRAFT_ONLY never submitted (draft 1):
    #   3 of 4 = 75.00 %; on time 3 of 3 (REOPENED first submitted 15 May, EXTENDED_2 20 July
    #   within 31 July); extensions 2 (EXTENDED_2 and the reopen's due time).
    # SELPA 1920: ON_TIME_5 12/6/2, ON_TIME_6 8/1/1, LATE 15/2/1 → 35/9/4 = 48;
    #   35/48 = 72.92 %, 9/48 = 18.75 %, 4/48 = 8.33 %; NO_ROSTER is ROSTER_MISSING: required
    #   and not started (missing, not exempt): 3 of 4 = 75.00 %; 3 of 3 on time; 0 extensions.
    # County 19 = 1910 + 1920: 64/18/11 = 93; 68.82 %, 19.35 %, 11.83 %; 6 of 8; 2 extensions.
    # State: 117/28/16 = 161 (the 11 approved samples 8+20+25+12+3+20+5+20+20+10+18);
    #   117/161 = 72.67 %, 28/161 = 17.39 %, 16/161 = 9.94 %; 11 of 13 = 84.62 %; 3 extensions.
    # (key, required, exempt, not started, draft, submitted, approved, rejected, A, B, C, total)
    assert await counts("STATE") == [("CA", 13, 1, 1, 1, 0, 11, 0, 117, 28, 16, 161)]
    assert await rates("STATE") == [
        ("CA", "72.67", "17.39", "9.94", "11/13 84.62", "11/11 100.00", 3)
    ]
    bay_counts = (5, 1, 0, 0, 0, 5, 0, 53, 10, 5, 68)
    bay_rates = ("77.94", "14.71", "7.35", "5/5 100.00", "5/5 100.00", 1)
    assert await counts("COUNTY") == [
        ("01", *bay_counts),
        ("19", 8, 0, 1, 1, 0, 6, 0, 64, 18, 11, 93),
    ]
    assert await rates("COUNTY") == [
        ("01", *bay_rates),
        ("19", "68.82", "19.35", "11.83", "6/8 75.00", "6/6 100.00", 2),
    ]
    assert await counts("SELPA") == [
        ("0110", *bay_counts),
        ("1910", 4, 0, 0, 1, 0, 3, 0, 29, 9, 7, 45),
        ("1920", 4, 0, 1, 0, 0, 3, 0, 35, 9, 4, 48),
    ]
    assert await rates("SELPA") == [
        ("0110", *bay_rates),
        ("1910", "64.44", "20.00", "15.56", "3/4 75.00", "3/3 100.00", 2),
        ("1920", "72.92", "18.75", "8.33", "3/4 75.00", "3/3 100.00", 0),
    ]
    # LEA rows: each LEA's own counts over its sample; 0/0 has no percent (None)
    assert await counts("LEA") == [
        (y.ON_TIME_1.cds, 1, 0, 0, 0, 0, 1, 0, 6, 1, 1, 8),
        (y.ON_TIME_2.cds, 1, 0, 0, 0, 0, 1, 0, 15, 3, 2, 20),
        (y.EXTENDED_1.cds, 1, 0, 0, 0, 0, 1, 0, 20, 4, 1, 25),
        (y.EXEMPT.cds, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        (y.REJECTED.cds, 1, 0, 0, 0, 0, 1, 0, 9, 2, 1, 12),
        (y.ON_TIME_3.cds, 1, 0, 0, 0, 0, 1, 0, 3, 0, 0, 3),
        (y.REOPENED.cds, 1, 0, 0, 0, 0, 1, 0, 14, 4, 2, 20),
        (y.ON_TIME_4.cds, 1, 0, 0, 0, 0, 1, 0, 5, 0, 0, 5),
        (y.EXTENDED_2.cds, 1, 0, 0, 0, 0, 1, 0, 10, 5, 5, 20),
        (y.DRAFT_ONLY.cds, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0),
        (y.ON_TIME_5.cds, 1, 0, 0, 0, 0, 1, 0, 12, 6, 2, 20),
        (y.ON_TIME_6.cds, 1, 0, 0, 0, 0, 1, 0, 8, 1, 1, 10),
        (y.LATE.cds, 1, 0, 0, 0, 0, 1, 0, 15, 2, 1, 18),
        (y.NO_ROSTER.cds, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0),
    ]
    one = ("1/1 100.00", "1/1 100.00", 0)
    assert await rates("LEA") == [
        (y.ON_TIME_1.cds, "75.00", "12.50", "12.50", *one),
        (y.ON_TIME_2.cds, "75.00", "15.00", "10.00", *one),
        (y.EXTENDED_1.cds, "80.00", "16.00", "4.00", "1/1 100.00", "1/1 100.00", 1),
        (y.EXEMPT.cds, None, None, None, "0/0 None", "0/0 None", 0),
        (y.REJECTED.cds, "75.00", "16.67", "8.33", *one),
        (y.ON_TIME_3.cds, "100.00", "0.00", "0.00", *one),
        (y.REOPENED.cds, "70.00", "20.00", "10.00", "1/1 100.00", "1/1 100.00", 1),
        (y.ON_TIME_4.cds, "100.00", "0.00", "0.00", *one),
        (y.EXTENDED_2.cds, "50.00", "25.00", "25.00", "1/1 100.00", "1/1 100.00", 1),
        (y.DRAFT_ONLY.cds, None, None, None, "0/1 0.00", "0/0 None", 0),
        (y.ON_TIME_5.cds, "60.00", "30.00", "10.00", *one),
        (y.ON_TIME_6.cds, "80.00", "10.00", "10.00", *one),
        (y.LATE.cds, "83.33", "11.11", "5.56", *one),
        (y.NO_ROSTER.cds, None, None, None, "0/1 0.00", "0/0 None", 0),
    ]


async def _publish(office: y.Office) -> None:
    # Sensitive counts (10 or fewer) are withheld, with complements so that no interval an
    # attacker can compute is narrower than 11; published values are the internal ones.
    w = WITHHELD
    public = await publish(office)
    assert public["STATE"] == [("CA", None, 1, 117, 28, w, 161)]
    # county 01 (= SELPA 0110): B 10 and C 5 sensitive, A withheld as their complement
    assert public["COUNTY"] == [("01", None, 1, w, w, w, 68), ("19", None, 0, 64, w, w, 93)]
    assert public["SELPA"] == [
        ("0110", None, 1, w, w, w, 68),
        ("1910", None, 0, w, w, w, 45),
        ("1920", None, 0, 35, w, w, 48),
    ]
    # every LEA has a count of 10 or fewer; a total of 10 or fewer is withheld too;
    # the ROSTER_MISSING LEA reads not reported, never exempt
    reported = [(lea.cds, "REPORTED", 0, w, w, w) for lea in y.ALL_LEAS]
    assert public["LEA"] == [
        (*reported[0], w),
        (*reported[1], 20),
        (*reported[2], 25),
        (y.EXEMPT.cds, "EXEMPT", 1, None, None, None, None),
        (*reported[4], 12),
        (*reported[5], w),
        (*reported[6], 20),
        (*reported[7], w),
        (*reported[8], 20),
        (y.DRAFT_ONLY.cds, "NOT_REPORTED", 0, None, None, None, None),
        (*reported[10], 20),
        (*reported[11], w),
        (*reported[12], 18),
        (y.NO_ROSTER.cds, "NOT_REPORTED", 0, None, None, None, None),
    ]
