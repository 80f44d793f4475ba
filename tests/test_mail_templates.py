"""Every message kind renders a text and an HTML part, in Pacific time, with what happens
next, and never a student's SSID or name or an access code (SPEC §6, §7)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from mailers.compose import MailKind, render
from mailers.outbox import queue
from mailers.worker import DeliveryWorker
from models import OutboxMessage, RosterStudent
from tests.support.factories import DUE, FakeClock, World
from tests.support.mail_support import SmtpServer, make_worker, smtp_server

__all__ = ["smtp_server"]

AT = datetime(2025, 6, 2, 22, 15, tzinfo=UTC)
AT_PACIFIC = "Monday, June 2, 2025 at 3:15 PM PDT"
DUE_PACIFIC = "Monday, June 30, 2025 at 11:59 PM PDT"
LATER = datetime(2025, 7, 15, 6, 59, tzinfo=UTC)
LATER_PACIFIC = "Monday, July 14, 2025 at 11:59 PM PDT"

EXTRA: dict[MailKind, dict[str, Any]] = {
    MailKind.SUBMISSION_ACKNOWLEDGED: {
        "count_a": 21,
        "count_b": 6,
        "count_c": 3,
        "total": 30,
        "certification_text": "I certify that the data submitted is true & accurate.",
        "certified_at": AT,
        "submitter_name": "Pat Submitter",
    },
    MailKind.AWAITING_REVIEW: {
        "count_a": 21,
        "count_b": 6,
        "count_c": 3,
        "total": 30,
        "submitted_at": AT,
        "submitter_name": "Pat Submitter",
    },
    MailKind.APPROVED: {"reviewed_at": AT},
    MailKind.REJECTED: {
        "reviewed_at": AT,
        "reason": "Category C count <looks> low",
        "resubmit_until": LATER,
    },
    MailKind.REOPENED: {"reason": "Counts entered for the wrong LEA", "reopened_at": AT},
    MailKind.EXTENSION_GRANTED: {"previous_due_at": DUE, "new_due_at": LATER},
    MailKind.AUDIT_SELECTED: {"drawn_at": AT},
    MailKind.AUDIT_OUTCOME: {
        "outcome": "DISCREPANCY",
        "certified": [15, 3, 2],
        "verified": [13, 5, 2],
        "note": "Two students' minutes were miscounted.",
        "at": AT,
    },
    MailKind.DEADLINE_REMINDER: {"days_left": 7, "status": "DRAFT"},
}

EXPECTED: dict[MailKind, list[str]] = {
    MailKind.SUBMISSION_ACKNOWLEDGED: [
        "Pat Submitter",
        AT_PACIFIC,
        "21",
        "30",
        "What happens next",
        "for review",
    ],
    MailKind.AWAITING_REVIEW: [AT_PACIFIC, "Pat Submitter", "approve", "reject", "21"],
    MailKind.APPROVED: ["approved", AT_PACIFIC, "What happens next"],
    MailKind.REJECTED: ["rejected", AT_PACIFIC, LATER_PACIFIC, "submit again"],
    MailKind.REOPENED: ["reopened", "Counts entered for the wrong LEA", DUE_PACIFIC],
    MailKind.EXTENSION_GRANTED: [DUE_PACIFIC, LATER_PACIFIC, "new due date"],
    MailKind.AUDIT_SELECTED: ["randomly selected", AT_PACIFIC, "audit"],
    MailKind.AUDIT_OUTCOME: ["DISCREPANCY", AT_PACIFIC, "A 13, B 5, C 2", "miscounted"],
    MailKind.DEADLINE_REMINDER: [DUE_PACIFIC, "7 days", "draft saved, not submitted"],
}


def context(world: World, kind: MailKind) -> dict[str, Any]:
    lea = world.lea_a1.lea
    return {
        "cycle": world.cycle.name,
        "lea_name": lea.name,
        "cds_code": lea.cds_code,
        "selpa_name": world.selpa_a.name,
        "selpa_code": world.selpa_a.code,
        "due_at": DUE,
        **EXTRA[kind],
    }


async def pii(world: World) -> set[str]:
    rows = await RosterStudent.filter(cycle=world.cycle).values_list(
        "ssid", "first_name", "last_name"
    )
    assert rows
    words = {value for row in rows for value in row if len(value) > 3}
    return words | set(world.codes.values())


@pytest.mark.parametrize("kind", list(MailKind))
async def test_each_kind_renders_text_and_html_with_its_content_and_no_pii(
    world: World, kind: MailKind
) -> None:
    await world.lea_a1.fetch_related("lea")
    rendered = render(kind, context(world, kind))
    lea = world.lea_a1.lea
    assert world.cycle.name in rendered.subject
    assert lea.name in rendered.subject
    assert "\n" not in rendered.subject
    assert rendered.html.lstrip().startswith("<!doctype html>")
    for part in (rendered.text, rendered.html):
        assert lea.cds_code in part
        for expected in EXPECTED[kind]:
            assert expected in part, (kind, expected)
        assert "UTC" not in part and "+00:00" not in part
    secrets = await pii(world)
    for part in (rendered.subject, rendered.text, rendered.html):
        assert not [s for s in secrets if s in part]


async def test_html_is_escaped_and_text_is_not(world: World) -> None:
    await world.lea_a1.fetch_related("lea")
    rendered = render(MailKind.REJECTED, context(world, MailKind.REJECTED))
    assert "Category C count &lt;looks&gt; low" in rendered.html
    assert "Category C count <looks> low" in rendered.text


async def test_a_reason_quoting_an_ssid_never_reaches_the_mail(world: World) -> None:
    # given a rejection reason that quotes a sampled student's SSID
    await world.lea_a1.fetch_related("lea")
    ssid = (
        await RosterStudent.filter(lea_id=world.lea_a1.lea.id)
        .first()
        .values_list("ssid", flat=True)
    )
    ctx = context(world, MailKind.REJECTED) | {"reason": f"Check student {ssid} minutes"}
    rendered = render(MailKind.REJECTED, ctx)
    # then the mail carries the reason without the SSID
    for part in (rendered.text, rendered.html):
        assert str(ssid) not in part
        assert "Check student [number removed] minutes" in part
    assert world.lea_a1.lea.cds_code in rendered.text


async def test_every_kind_is_delivered_as_sent_over_smtp(
    world: World, clock: FakeClock, smtp_server: SmtpServer
) -> None:
    # given one queued message of each kind
    await world.lea_a1.fetch_related("lea")
    for kind in MailKind:
        await queue(
            kind,
            event_key=f"kind:{kind.value}",
            recipients=[f"{kind.value}@example.org"],
            context=context(world, kind),
            now=clock(),
            cycle_id=world.cycle.id,
        )
    # when the worker delivers them
    worker: DeliveryWorker = make_worker(smtp_server.port, clock)
    assert (await worker.drain()).sent == len(MailKind)
    # then each arrives with both parts, Pacific times and no PII
    secrets = await pii(world)
    rows = {row.message_id: row for row in await OutboxMessage.all()}
    assert len(smtp_server.recorder.received) == len(MailKind)
    for got in smtp_server.recorder.received:
        row = rows[got.message_id]
        text = got.message.get_body(("plain",)).get_content()
        html = got.message.get_body(("html",)).get_content()
        assert text.replace("\r\n", "\n").strip() == row.body_text.strip()
        assert html.replace("\r\n", "\n").strip() == row.body_html.strip()
        kind = MailKind(row.kind)
        for expected in EXPECTED[kind]:
            assert expected in text
        assert not [s for s in secrets if s in got.message.as_string()]
