"""Mail hardening: recipients told apart without letter case across calls, addresses checked
by email-validator, a dead worker's claim free again in minutes, and an unknown failure given
up by the same rule as any other (SPEC §7)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from tortoise.context import TortoiseContext

from mailers.compose import MailKind
from mailers.outbox import queue
from mailers.smtp import Letter, Outcome, SmtpConfig, Verdict
from models import OutboxMessage
from models.shared.enums import OutboxStatus
from models.shared.identifiers import is_email
from tests.support.factories import FakeClock
from tests.support.mail_support import base_context, make_worker, queue_many


async def test_recipients_differing_in_case_across_calls_are_one_row(
    db: TortoiseContext, clock: FakeClock
) -> None:
    # given an event already queued to one spelling of an address
    for spelling in (["Selpa1001@Example.org"], ["selpa1001@example.org", "SELPA1001@EXAMPLE.ORG"]):
        # when the same event is queued again to other spellings (a second reminder run)
        await queue(
            MailKind.APPROVED,
            event_key="reminder:1",
            recipients=spelling,
            context=base_context(clock()),
            now=clock(),
        )
    # then there is still one row, and no IntegrityError was raised
    assert await OutboxMessage.filter(event_key="reminder:1").count() == 1


@pytest.mark.parametrize(
    "address",
    [
        "<script>alert(1)</script>@example.org",
        "=cmd|' /C calc'!A0@example.org",
        "+1-555@example.org",
        "a b@example.org",
        "a@example",
        "a@@example.org",
        "a@exa_mple.org",
        "a@[127.0.0.1]",
        "\u00fc@example.org",
    ],
)
def test_addresses_are_checked_by_email_validator(address: str) -> None:
    assert not is_email(address)


def test_ordinary_addresses_pass() -> None:
    for address in ("pat.example@lea.example.org", "Selpa1001@Example.org", "a+tag@k12.ca.us"):
        assert is_email(address)


async def test_malformed_recipients_are_left_out(db: TortoiseContext, clock: FakeClock) -> None:
    created = await queue(
        MailKind.APPROVED,
        event_key="mixed",
        recipients=["ok@example.org", "<script>@example.org"],
        context=base_context(clock()),
        now=clock(),
    )
    assert created == 1
    assert await OutboxMessage.filter(event_key="mixed").values_list("recipient", flat=True) == [
        "ok@example.org"
    ]


async def test_a_dead_workers_claim_expires_in_minutes(
    db: TortoiseContext, clock: FakeClock
) -> None:
    # given a worker (production batch size and timeouts) that claimed rows and then died
    await queue_many(3, clock())
    dead = make_worker(1, clock, batch_size=50, concurrency=8, timeout=30.0)
    assert len(await dead.claim()) == 3
    # then its claim lasts minutes, not the 40 it used to
    assert dead.lease() <= timedelta(minutes=5)
    # and five minutes later another worker may claim the rows
    clock.advance(seconds=5 * 60)
    assert len(await make_worker(1, clock).claim()) == 3


async def test_a_live_worker_keeps_its_claim_while_it_works(
    db: TortoiseContext, clock: FakeClock
) -> None:
    # given a worker whose sends are slow, with a short claim renewed while it works
    await queue_many(2, clock())
    worker = make_worker(1, clock, concurrency=1)

    def one_second() -> timedelta:
        return timedelta(seconds=1)

    worker.lease = one_second  # type: ignore[method-assign]
    seen: list[int] = []

    async def slow_send(config: SmtpConfig, letter: Letter, date: object) -> Outcome:
        for _ in range(4):
            await asyncio.sleep(0.2)
            clock.advance(seconds=0.2)
        seen.append(len(await make_worker(1, clock).claim()))
        return Outcome(Verdict.SENT)

    worker.send = slow_send
    # when it delivers the batch
    tally = await worker.run_once()
    # then nobody else could claim its rows meanwhile, and both were sent once
    assert tally.sent == 2
    assert seen == [0, 0]


async def test_an_unknown_failure_is_given_up_like_any_other(
    db: TortoiseContext, clock: FakeClock
) -> None:
    # given a message whose sending raises something unforeseen
    await queue_many(1, clock())
    worker = make_worker(1, clock)

    async def broken(config: SmtpConfig, letter: Letter, date: object) -> Outcome:
        raise ValueError("header could not be built")

    worker.send = broken
    # when the worker tries, then again after the give-up time has passed
    first = await worker.run_once()
    row = await OutboxMessage.get()
    assert first.retried == 1 and row.attempts == 1 and row.lease_until is None
    clock.advance(days=5)
    second = await worker.run_once()
    # then it is retried and counted, and finally given up, not stuck under a lease
    row = await OutboxMessage.get()
    assert second.failed == 1
    assert row.status is OutboxStatus.FAILED and "unexpected ValueError" in (row.last_error or "")
