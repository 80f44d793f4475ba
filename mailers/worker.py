"""The delivery worker: claims due outbox rows, sends each over SMTP, records the outcome.

Several workers (threads of one process or several processes) may run at once. A claim is a
lease: inside one transaction the due rows are locked (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL) and leased by compare-and-set on ``lease_until``/``leased_by``, so even where row
locks do not exist (SQLite) two workers never hold the same row. Outcomes are recorded only by
the lease holder. A worker that dies after the server accepted a message and before recording
it leaves the lease to expire; the row is then sent again, with the same Message-ID.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from kernel.clock import Clock, system_clock
from mailers.smtp import Letter, Outcome, SmtpConfig, Verdict, deliver
from models import Cycle, OutboxMessage
from models.shared.enums import CycleStatus, OutboxStatus

log = logging.getLogger("iepimp.mail")
SMTP_COMMANDS = 8
"""Connect, greeting, EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA: each gets the whole timeout."""

CLAIM_SECONDS = 120.0
"""A claim's lease: what a worker that died after claiming holds its batch for."""

Deliver = Callable[[SmtpConfig, Letter, datetime], Awaitable[Outcome]]


@dataclass(frozen=True)
class Backoff:
    """Capped exponential backoff with jitter: attempt n waits base·2ⁿ⁻¹, at most ``cap``,
    scaled by a random factor in [1 - jitter, 1]."""

    base_seconds: float = 30.0
    cap_seconds: float = 3600.0
    jitter: float = 0.5

    def delay(self, attempts: int, rng: random.Random) -> timedelta:
        raw = min(self.cap_seconds, self.base_seconds * 2 ** max(attempts - 1, 0))
        return timedelta(seconds=raw * (1 - self.jitter * rng.random()))


@dataclass
class Tally:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def attempted(self) -> int:
        return self.sent + self.retried + self.failed


@dataclass
class DeliveryWorker:
    smtp: SmtpConfig
    clock: Clock = system_clock
    name: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    batch_size: int = 50
    concurrency: int = 8
    lease_seconds: float = 0.0
    backoff: Backoff = field(default_factory=Backoff)
    poll_seconds: float = 5.0
    rng: random.Random = field(default_factory=random.Random)
    send: Deliver = deliver
    stopping: bool = field(default=False, init=False, repr=False)

    def send_lease(self) -> timedelta:
        """Long enough for one send whose every SMTP command runs to its timeout; renewed
        (by compare-and-set) just before each send, so no other worker takes a row mid-send."""
        return timedelta(seconds=SMTP_COMMANDS * self.smtp.timeout_seconds + 60)

    def lease(self) -> timedelta:
        """How long a claim holds unrenewed: a dead worker's rows are free again after it. A
        live worker renews the claim on the rows it has not sent yet while it works."""
        return timedelta(seconds=max(self.lease_seconds, CLAIM_SECONDS))

    async def _keep_claim(self, token: str) -> None:
        """Renew the batch's claim every third of a lease (never shortening a send's lease)."""
        while True:
            await asyncio.sleep(self.lease().total_seconds() / 3)
            until = self.clock() + self.lease()
            await OutboxMessage.filter(
                leased_by=token, status=OutboxStatus.PENDING, lease_until__lt=until
            ).update(lease_until=until)

    async def claim(self) -> list[OutboxMessage]:
        now = self.clock()
        token = f"{self.name}:{uuid.uuid4().hex[:16]}"
        free = Q(lease_until__isnull=True) | Q(lease_until__lte=now)
        async with in_transaction() as tx:
            due = (
                await OutboxMessage.filter(
                    free, status=OutboxStatus.PENDING, next_attempt_at__lte=now
                )
                .order_by("next_attempt_at", "id")
                .limit(self.batch_size)
                .select_for_update(skip_locked=True)
                .using_db(tx)
                .only("id")
            )
            if not due:
                return []
            await (
                OutboxMessage.filter(
                    free, id__in=[row.id for row in due], status=OutboxStatus.PENDING
                )
                .using_db(tx)
                .update(lease_until=now + self.lease(), leased_by=token)
            )
            return list(await OutboxMessage.filter(leased_by=token).order_by("id").using_db(tx))

    async def run_once(self) -> Tally:
        """Deliver one claimed batch; return what happened to it."""
        rows = await self.claim()
        tally = Tally()
        if not rows:
            return tally
        cycle_ids = {row.cycle_id for row in rows if row.cycle_id is not None}
        open_cycles: set[int] = set()
        if cycle_ids:
            found = await Cycle.filter(
                id__in=cycle_ids, status__in=[CycleStatus.DRAFT, CycleStatus.OPEN]
            ).values_list("id", flat=True)
            open_cycles = {int(str(value)) for value in found}
        gate = asyncio.Semaphore(max(self.concurrency, 1))
        keeper = asyncio.create_task(self._keep_claim(str(rows[0].leased_by)))

        async def one(row: OutboxMessage) -> None:
            async with gate:
                verdict = await self._deliver_row(row, row.cycle_id in open_cycles)
            if verdict is Verdict.SENT:
                tally.sent += 1
            elif verdict is Verdict.RETRY:
                tally.retried += 1
            else:
                tally.failed += 1

        try:
            await asyncio.gather(*(one(row) for row in rows))
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper
        return tally

    async def _deliver_row(self, row: OutboxMessage, cycle_open: bool) -> Verdict:
        letter = Letter(
            message_id=row.message_id,
            recipient=row.recipient,
            subject=row.subject,
            body_text=row.body_text,
            body_html=row.body_html,
        )
        renewed = await OutboxMessage.filter(
            id=row.id, leased_by=row.leased_by, status=OutboxStatus.PENDING
        ).update(lease_until=self.clock() + self.send_lease())
        if renewed != 1:
            return Verdict.RETRY
        try:
            outcome = await self.send(self.smtp, letter, self.clock())
        except Exception as exc:
            outcome = Outcome(Verdict.RETRY, f"unexpected {type(exc).__name__}")
        now = self.clock()
        mine = OutboxMessage.filter(id=row.id, leased_by=row.leased_by)
        attempts = row.attempts + 1
        verdict = outcome.verdict
        if verdict is Verdict.SENT:
            await mine.update(
                status=OutboxStatus.SENT,
                sent_at=now,
                attempts=F("attempts") + 1,
                last_error=None,
                lease_until=None,
                leased_by=None,
            )
        elif verdict is Verdict.RETRY and (now < row.give_up_at or cycle_open):
            retry_at = now + self.backoff.delay(attempts, self.rng)
            if now < row.give_up_at:
                retry_at = min(retry_at, row.give_up_at)
            await mine.update(
                attempts=F("attempts") + 1,
                next_attempt_at=retry_at,
                last_error=outcome.reason,
                lease_until=None,
                leased_by=None,
            )
        else:
            reason = outcome.reason
            if verdict is Verdict.RETRY:
                verdict = Verdict.FAILED
                reason = f"gave up after {attempts} attempts; last: {reason}"
            await mine.update(
                status=OutboxStatus.FAILED,
                attempts=F("attempts") + 1,
                last_error=reason,
                lease_until=None,
                leased_by=None,
            )
        log.info("outbox message %s (%s) attempt %d: %s", row.id, row.kind, attempts, verdict.value)
        return verdict

    async def drain(self, max_batches: int = 10_000) -> Tally:
        """Deliver every row due now (``--once``); rows scheduled later stay for a later run."""
        total = Tally()
        for _ in range(max_batches):
            tally = await self.run_once()
            if tally.attempted == 0:
                break
            total.sent += tally.sent
            total.retried += tally.retried
            total.failed += tally.failed
        return total

    async def run_forever(self) -> None:
        """Poll until cancelled or asked to stop (``running`` does both: a library that swallows
        the cancellation mid-pass still lets the loop end after that pass); a database hiccup
        is logged and retried at the next poll."""
        while not self.stopping:
            try:
                tally = await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("mail delivery pass failed; retrying")
                tally = Tally()
            if tally.attempted < self.batch_size:
                await asyncio.sleep(self.poll_seconds)


@asynccontextmanager
async def running(worker: DeliveryWorker | None) -> AsyncIterator[None]:
    """Run ``worker`` in the background for the duration of the block; cancel it cleanly."""
    if worker is None:
        yield
        return
    worker.stopping = False
    task = asyncio.create_task(worker.run_forever(), name=f"mail-delivery-{worker.name}")
    try:
        yield
    finally:
        worker.stopping = True
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
