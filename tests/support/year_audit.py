"""The audit phase of the whole-year test (SPEC §3.7): the draw by a recorded seed, each drawn
LEA's steps through recordAuditStep, the mail and the audit trail, and the summary."""

from __future__ import annotations

from kernel.errors import ErrorCode
from models import AuditEvent, Cycle, OutboxMessage
from resolvers.audit.draw_audit_selection import draw_audit_selection
from tests.support.workflow_support import CYCLE, admin_principal
from tests.support.year_support import (
    AUDIT_SEED,
    AUDIT_STEP,
    AUDIT_SUMMARY,
    DRAW_AUDIT,
    EXTENDED_1,
    LATE,
    ON_TIME_1,
    Office,
)


async def run_audit(office: Office) -> None:
    """The audit of the closed cycle: the draw, each drawn LEA's steps, the summary."""
    # --- 5 August: the audit draw: ⌈10 % of 11 submitted⌉ = 2 LEAs by the recorded seed ------
    office.day(8, 5)
    drawn = await draw_audit_selection(admin_principal(), CYCLE, office.clock(), seed=AUDIT_SEED)
    assert drawn.errors == () and drawn.waiting == []
    assert [m.lea.cds_code for m in drawn.selected] == [EXTENDED_1.cds, LATE.cds]
    cycle = await Cycle.get(name=CYCLE)
    assert (cycle.audit_seed, cycle.audit_drawn_at) == (AUDIT_SEED, office.clock())
    # a second draw is refused, through the API as well
    again = (await office.as_admin(DRAW_AUDIT, c=CYCLE)).data["drawAuditSelection"]
    assert [e["code"] for e in again["userErrors"]] == [ErrorCode.ALREADY_DONE.value]
    # an LEA that was not drawn has no audit to record
    body = {"cycle": CYCLE, "cdsCode": ON_TIME_1.cds, "step": "REQUEST_DOCUMENTS"}
    stray = (await office.as_admin(AUDIT_STEP, i=body)).data["recordAuditStep"]
    assert [e["code"] for e in stray["userErrors"]] == [ErrorCode.NOT_FOUND.value]
    outcomes = {
        LATE.cds: {"step": "CONFIRM"},
        EXTENDED_1.cds: {
            "step": "RECORD_DISCREPANCY",
            **{"countA": 18, "countB": 5, "countC": 2, "note": "Two students were in A."},
        },
    }
    day = 5
    for cds, outcome in outcomes.items():
        for step in ({"step": "REQUEST_DOCUMENTS"}, {"step": "MARK_REVIEWED"}, outcome):
            day += 3
            office.day(8, day)
            body = {"cycle": CYCLE, "cdsCode": cds, **step}
            done = (await office.as_admin(AUDIT_STEP, i=body)).data["recordAuditStep"]
            assert done["userErrors"] == [], done
    assert done["finding"] == {
        "cdsCode": EXTENDED_1.cds,
        "status": "DISCREPANCY",
        "outcome": "DISCREPANCY",
        "certifiedCounts": [20, 4, 1],
        "verifiedCounts": [18, 5, 2],
    }
    # each outcome is mailed to the LEA and its SELPA; every step is in the audit trail
    mailed = await OutboxMessage.filter(kind="audit_outcome").values_list("recipient", flat=True)
    assert sorted(mailed) == [
        f"d{EXTENDED_1.cds}@example.org",
        f"d{LATE.cds}@example.org",
        "s0110@example.org",
        "s1920@example.org",
    ]
    trail = await AuditEvent.filter(action__startswith="audit.").order_by("id")
    assert [(e.action, e.target) for e in trail] == [
        ("audit.drawn", CYCLE),
        *((f"audit.{s.lower()}", LATE.cds) for s in ("REQUEST_DOCUMENTS", "MARK_REVIEWED")),
        ("audit.confirm", LATE.cds),
        *((f"audit.{s.lower()}", EXTENDED_1.cds) for s in ("REQUEST_DOCUMENTS", "MARK_REVIEWED")),
        ("audit.record_discrepancy", EXTENDED_1.cds),
    ]
    summary = (await office.as_admin(AUDIT_SUMMARY, c=CYCLE)).data["auditSummary"]
    # moved: (|20-18| + |4-5| + |1-2|) / 2 = 2; agreement 1 confirmed of 2 concluded
    assert summary == {
        "audited": 2,
        "concluded": 2,
        "confirmed": 1,
        "discrepancies": 1,
        "corrected": 0,
        "studentsMoved": 2,
        "agreementRate": "50.00",
    }
