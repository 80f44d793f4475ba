"""The delivery worker against a real SMTP server on loopback: the fault matrix (SPEC §7)."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

import pytest
from tortoise.context import TortoiseContext
from tortoise.transactions import in_transaction

from mailers.compose import MailKind
from mailers.outbox import outbox_depth, queue
from mailers.worker import Tally, running
from models import Cycle, OutboxMessage
from models.shared.enums import CycleStatus, OutboxStatus
from tests.support.factories import FakeClock, World
from tests.support.mail_support import (
    MAIL_FROM,
    RawServer,
    SmtpServer,
    base_context,
    free_port,
    make_worker,
    queue_many,
    smtp_server,
)

__all__ = ["smtp_server"]

N = 100


async def statuses() -> dict[OutboxStatus, int]:
    return {k: v for k, v in (await outbox_depth()).items() if v}


async def assert_all_sent_once(server: SmtpServer) -> None:
    rows = await OutboxMessage.all()
    assert len(rows) == N
    assert all(row.status is OutboxStatus.SENT and row.sent_at for row in rows)
    ids = server.recorder.ids()
    assert set(ids) == {row.message_id for row in rows}
    assert max(ids.values()) == 1


async def test_a_queued_message_is_sent_as_text_and_html_with_its_message_id(
    db: TortoiseContext, clock: FakeClock, smtp_server: SmtpServer
) -> None:
    # given one queued message
    await queue_many(1, clock())
    row = await OutboxMessage.get()
    # when the worker runs once
    tally = await make_worker(smtp_server.port, clock).drain()
    # then it is delivered and marked sent with its Message-ID, From, Date and both parts
    assert (tally.sent, tally.retried, tally.failed) == (1, 0, 0)
    await row.refresh_from_db()
    assert row.status is OutboxStatus.SENT
    assert row.attempts == 1
    assert row.sent_at == clock()
    [got] = smtp_server.recorder.received
    assert got.message_id == row.message_id
    assert got.recipients == [row.recipient]
    assert got.message["From"] == MAIL_FROM
    assert str(got.message["Subject"]).strip() == row.subject
    assert got.message["Date"]
    assert got.message.get_content_type() == "multipart/alternative"
    parts = [p.get_content_type() for p in got.message.walk() if not p.is_multipart()]
    assert parts == ["text/plain", "text/html"]


async def test_server_down_then_up_loses_nothing(db: TortoiseContext, clock: FakeClock) -> None:
    # given 100 messages and no SMTP server listening
    await queue_many(N, clock())
    server = SmtpServer(free_port())
    worker = make_worker(server.port, clock)
    # when the worker runs
    tally = await worker.drain()
    # then every message is kept for a retry, with the reason
    assert tally.retried == N
    rows = await OutboxMessage.all()
    assert all(r.status is OutboxStatus.PENDING and r.attempts == 1 for r in rows)
    assert all(r.last_error == "mail server unreachable" for r in rows)
    assert all(r.next_attempt_at > clock() for r in rows)
    assert all(r.lease_until is None for r in rows)
    # and a run before the backoff has passed sends nothing
    assert (await worker.drain()).attempted == 0
    # when the server comes up and the backoff has passed
    server.start()
    try:
        clock.advance(seconds=10)
        tally = await worker.drain()
    finally:
        server.stop()
    # then every message is sent exactly once
    assert tally.sent == N
    await assert_all_sent_once(server)


async def test_421_on_connect_is_retried(db: TortoiseContext, clock: FakeClock) -> None:
    # given 100 messages and a server that answers 421 on connect
    await queue_many(N, clock())
    port = free_port()
    worker = make_worker(port, clock)
    async with RawServer(port, b"421 4.3.2 Service not available, closing channel\r\n") as raw:
        tally = await worker.drain()
    # then every message is kept for a retry with the 421 as the reason
    assert tally.retried == N
    assert raw.connections == N
    rows = await OutboxMessage.all()
    assert all(r.status is OutboxStatus.PENDING for r in rows)
    assert all(r.last_error and "421" in r.last_error for r in rows)
    # when the server recovers on the same port
    server = SmtpServer(port)
    server.start()
    try:
        clock.advance(seconds=10)
        await worker.drain()
    finally:
        server.stop()
    await assert_all_sent_once(server)


async def test_451_on_data_is_retried(
    db: TortoiseContext, clock: FakeClock, smtp_server: SmtpServer
) -> None:
    # given 100 messages and a server that defers every message at DATA
    await queue_many(N, clock())
    smtp_server.recorder.data_reply = "451 4.3.0 Temporary local problem"
    worker = make_worker(smtp_server.port, clock)
    tally = await worker.drain()
    assert tally.retried == N
    rows = await OutboxMessage.all()
    assert all(r.status is OutboxStatus.PENDING for r in rows)
    assert all(r.last_error and "451" in r.last_error for r in rows)
    # when it accepts again
    smtp_server.recorder.data_reply = None
    clock.advance(seconds=10)
    await worker.drain()
    # then every message is sent once
    await assert_all_sent_once(smtp_server)


async def test_a_hang_past_the_timeout_is_retried(db: TortoiseContext, clock: FakeClock) -> None:
    # given 100 messages and a server that accepts the connection and never speaks
    await queue_many(N, clock())
    port = free_port()
    worker = make_worker(port, clock, timeout=0.2, concurrency=25)
    async with RawServer(port, None):
        tally = await worker.drain()
    # then each attempt times out and is kept for a retry
    assert tally.retried == N
    rows = await OutboxMessage.all()
    assert all(r.status is OutboxStatus.PENDING for r in rows)
    assert all(r.last_error == "timed out talking to the mail server" for r in rows)
    # when a healthy server answers on that port
    server = SmtpServer(port)
    server.start()
    try:
        clock.advance(seconds=10)
        await make_worker(port, clock).drain()
    finally:
        server.stop()
    await assert_all_sent_once(server)


async def test_550_for_one_of_two_recipients_fails_only_that_one(
    db: TortoiseContext, clock: FakeClock, smtp_server: SmtpServer
) -> None:
    # given 50 events, each to two recipients, one of whom the server refuses with 550
    await queue_many(N, clock(), recipients_per_event=2)
    smtp_server.recorder.refuse = {f"r{n}-1@example.org" for n in range(N // 2)}
    # when the worker runs
    tally = await make_worker(smtp_server.port, clock).drain()
    # then the good recipient's message is sent and the refused one failed with the reason
    assert (tally.sent, tally.failed, tally.retried) == (N // 2, N // 2, 0)
    for row in await OutboxMessage.all():
        if row.recipient.endswith("-1@example.org"):
            assert row.status is OutboxStatus.FAILED
            assert row.last_error is not None
            assert row.last_error.startswith("recipient refused: 550")
        else:
            assert row.status is OutboxStatus.SENT
    assert sorted(r for got in smtp_server.recorder.received for r in got.recipients) == sorted(
        f"r{n}-0@example.org" for n in range(N // 2)
    )
    # and a later run sends nothing more
    clock.advance(days=1)
    assert (await make_worker(smtp_server.port, clock).drain()).attempted == 0


async def test_5xx_at_data_is_permanent(
    db: TortoiseContext, clock: FakeClock, smtp_server: SmtpServer
) -> None:
    await queue_many(3, clock())
    smtp_server.recorder.data_reply = "554 5.6.0 Message content rejected"
    tally = await make_worker(smtp_server.port, clock).drain()
    assert tally.failed == 3
    rows = await OutboxMessage.all()
    assert all(r.status is OutboxStatus.FAILED for r in rows)
    assert all(r.last_error == "message refused: 554 5.6.0 Message content rejected" for r in rows)


async def test_worker_killed_between_send_and_mark_sends_again_at_most_once(
    db: TortoiseContext, clock: FakeClock, smtp_server: SmtpServer
) -> None:
    # given 100 messages and a worker that is killed after the server accepted the 30th
    await queue_many(N, clock())
    worker = make_worker(smtp_server.port, clock, concurrency=5)
    task = asyncio.create_task(worker.drain())
    loop = asyncio.get_running_loop()

    async def kill_at(count: int) -> None:
        if count == 30:
            loop.call_soon_threadsafe(task.cancel)
            await asyncio.sleep(0.3)

    smtp_server.recorder.on_data = kill_at
    with pytest.raises(asyncio.CancelledError):
        await task
    smtp_server.recorder.on_data = None
    await asyncio.sleep(0.5)
    accepted_before = set(smtp_server.recorder.ids())
    unmarked = {
        r.message_id for r in await OutboxMessage.filter(status=OutboxStatus.PENDING)
    } & accepted_before
    assert unmarked, "the kill must land between acceptance and marking"
    # when the leases expire and a second worker runs
    clock.advance(seconds=worker.lease().total_seconds() + 1)
    await make_worker(smtp_server.port, clock).drain()
    # then nothing is lost, and only the unmarked ones arrived twice, with the same Message-ID
    rows = await OutboxMessage.all()
    assert all(r.status is OutboxStatus.SENT for r in rows)
    ids = smtp_server.recorder.ids()
    assert set(ids) == {r.message_id for r in rows}
    assert {mid for mid, n in ids.items() if n > 1} == unmarked
    assert max(ids.values()) == 2


async def test_gives_up_no_sooner_than_give_up_at(db: TortoiseContext, clock: FakeClock) -> None:
    # given a message with no cycle and a server that stays down
    await queue_many(1, clock())
    row = await OutboxMessage.get()
    assert row.give_up_at == clock() + timedelta(days=4)
    worker = make_worker(free_port(), clock)
    # when the worker retries for a little under four days
    attempts = 0
    while clock() < row.give_up_at:
        attempts += (await worker.drain()).attempted
        await row.refresh_from_db()
        assert row.status is OutboxStatus.PENDING
        assert row.next_attempt_at <= row.give_up_at
        clock.advance(hours=6)
    # then the attempt at or after give_up_at gives up, with the reason
    await worker.drain()
    await row.refresh_from_db()
    assert attempts >= 16
    assert row.status is OutboxStatus.FAILED
    assert row.last_error is not None
    assert row.last_error.startswith("gave up after")
    assert row.last_error.endswith("mail server unreachable")


async def test_an_open_cycle_keeps_its_messages_until_it_closes(
    world: World, clock: FakeClock
) -> None:
    # given a message of the open cycle, past its give-up time, with the server down
    await queue_many(1, clock(), cycle_id=world.cycle.id)
    worker = make_worker(free_port(), clock)
    clock.advance(days=5)
    await worker.drain()
    # then it is still pending while the cycle is open
    row = await OutboxMessage.get()
    assert row.status is OutboxStatus.PENDING
    # and given up once the cycle is closed
    await Cycle.filter(id=world.cycle.id).update(status=CycleStatus.CLOSED)
    clock.advance(hours=1)
    await worker.drain()
    await row.refresh_from_db()
    assert row.status is OutboxStatus.FAILED


async def test_a_rolled_back_change_leaves_no_outbox_row(world: World, clock: FakeClock) -> None:
    # given a state change and its notice in one transaction that fails
    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        async with in_transaction() as tx:
            await Cycle.filter(id=world.cycle.id).using_db(tx).update(version=99)
            created = await queue(
                MailKind.APPROVED,
                event_key="rollback:1",
                recipients=["someone@example.org"],
                context=base_context(clock()),
                now=clock(),
                cycle_id=world.cycle.id,
                using=tx,
            )
            assert created == 1
            raise Boom
    # then neither the change nor the message exists
    assert await OutboxMessage.all().count() == 0
    await world.cycle.refresh_from_db()
    assert world.cycle.version != 99


async def test_one_event_queues_one_row_per_recipient_however_often(
    db: TortoiseContext, clock: FakeClock
) -> None:
    for _ in range(3):
        await queue(
            MailKind.APPROVED,
            event_key="event:1",
            recipients=["a@example.org", "b@example.org", "a@example.org"],
            context=base_context(clock()),
            now=clock(),
        )
    assert await OutboxMessage.all().count() == 2


async def test_the_in_process_worker_delivers_and_stops_cleanly(
    db: TortoiseContext, clock: FakeClock, smtp_server: SmtpServer
) -> None:
    await queue_many(5, clock())
    worker = make_worker(smtp_server.port, clock)
    async with running(worker):
        for _ in range(200):
            if (await statuses()).get(OutboxStatus.SENT) == 5:
                break
            await asyncio.sleep(0.02)
    assert await statuses() == {OutboxStatus.SENT: 5}
    assert len(smtp_server.recorder.received) == 5


async def test_the_worker_stops_even_when_a_pass_swallows_the_cancellation(
    db: TortoiseContext, clock: FakeClock, smtp_server: SmtpServer
) -> None:
    # given a worker whose first delivery pass loses a cancellation, as a library may
    worker = make_worker(smtp_server.port, clock)
    worker.poll_seconds = 0.01
    passes = 0
    in_pass = asyncio.Event()

    async def swallowing_pass() -> Tally:
        nonlocal passes
        passes += 1
        in_pass.set()
        if passes > 1:
            await asyncio.sleep(10)
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.sleep(10)
        return Tally()

    worker.run_once = swallowing_pass  # type: ignore[method-assign]

    async def block() -> None:
        async with running(worker):
            await in_pass.wait()

    # when the block around it ends while that pass runs
    ended = asyncio.ensure_future(block())
    done, _ = await asyncio.wait({ended}, timeout=5)
    if not done:
        ended.cancel()
        await asyncio.wait({ended})
    # then the block ended, the worker having stopped after that pass without another
    assert done
    assert passes == 1


@pytest.mark.postgres_only
async def test_three_workers_deliver_300_without_duplicates(
    db: TortoiseContext, clock: FakeClock, smtp_server: SmtpServer
) -> None:
    # given 300 messages and three workers running at once
    await queue_many(300, clock())
    workers = [make_worker(smtp_server.port, clock, batch_size=20, concurrency=5) for _ in range(3)]
    # when they drain the outbox together
    tallies = await asyncio.gather(*(w.drain() for w in workers))
    # then every message was sent exactly once, and each worker did part of the work
    assert sum(t.sent for t in tallies) == 300
    assert all(t.sent > 0 for t in tallies)
    ids = smtp_server.recorder.ids()
    assert len(ids) == 300
    assert max(ids.values()) == 1
    assert await statuses() == {OutboxStatus.SENT: 300}


async def test_a_worker_whose_lease_ran_out_does_not_send_again(
    db: TortoiseContext, clock: FakeClock, smtp_server: SmtpServer
) -> None:
    # given a slow worker A that claimed two messages, and whose claim then ran out
    await queue_many(2, clock())
    slow = make_worker(smtp_server.port, clock)
    claimed = await slow.claim()
    clock.advance(seconds=slow.lease().total_seconds() + 1)
    # when worker B takes the rows over and delivers them
    assert (await make_worker(smtp_server.port, clock).run_once()).sent == 2
    # then A, coming to its rows at last, sends nothing
    for row in claimed:
        await slow._deliver_row(row, cycle_open=False)
    await assert_each_sent_once(smtp_server, 2)


async def assert_each_sent_once(server: SmtpServer, count: int) -> None:
    rows = await OutboxMessage.all()
    assert len(rows) == count and all(r.status is OutboxStatus.SENT for r in rows)
    assert sorted(server.recorder.ids().values()) == [1] * count


async def test_one_address_in_two_cases_is_one_recipient(
    db: TortoiseContext, clock: FakeClock
) -> None:
    from mailers.compose import MailKind
    from mailers.outbox import queue
    from tests.support.mail_support import base_context

    created = await queue(
        MailKind.APPROVED,
        event_key="case-test",
        recipients=["Selpa1001@Example.org", "selpa1001@example.org", " selpa1001@EXAMPLE.org "],
        context=base_context(clock()),
        now=clock(),
    )
    assert created == 1
    assert await OutboxMessage.filter(event_key="case-test").count() == 1


def test_refusals_of_the_server_or_sender_are_retried_not_failed() -> None:
    import aiosmtplib

    from mailers.smtp import Verdict, classify

    assert classify(aiosmtplib.SMTPConnectResponseError(554, "no service")).verdict is Verdict.RETRY
    assert classify(aiosmtplib.SMTPSenderRefused(530, "auth first", "a@b")).verdict is Verdict.RETRY
    assert classify(aiosmtplib.SMTPDataError(554, "content")).verdict is Verdict.FAILED
