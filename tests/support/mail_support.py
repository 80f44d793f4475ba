"""A real SMTP server on loopback (aiosmtpd) and misbehaving ones (raw asyncio servers),
plus builders for outbox rows, for the mail tests."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from mailers.compose import MailKind
from mailers.outbox import queue
from mailers.smtp import SmtpConfig
from mailers.worker import Backoff, DeliveryWorker
from tests.support.factories import FakeClock

MAIL_FROM = "iepimplementation@cde.example.org"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Received:
    message_id: str
    recipients: list[str]
    message: Message


@dataclass
class Recorder:
    """The aiosmtpd handler: records what it accepts; ``refuse``, ``data_reply`` and
    ``on_data`` let a test make it misbehave."""

    refuse: set[str] = field(default_factory=set)
    data_reply: str | None = None
    on_data: Callable[[int], Any] | None = None
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.data_reply is not None:
            return self.data_reply
        parsed = email.message_from_bytes(
            envelope.original_content or envelope.content, policy=email.policy.default
        )
        with self.lock:
            self.received.append(
                Received(str(parsed["Message-ID"]), list(envelope.rcpt_tos), parsed)
            )
            count = len(self.received)
        if self.on_data is not None:
            await self.on_data(count)
        return "250 Message accepted for delivery"

    def ids(self) -> Counter[str]:
        with self.lock:
            return Counter(r.message_id for r in self.received)


class SmtpServer:
    """aiosmtpd on a fixed loopback port that a test can stop and start again."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.recorder = Recorder()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port())
    server.start()
    yield server
    server.stop()


class RawServer:
    """A TCP server in the test's loop that greets with ``greeting`` (None: says nothing)."""

    def __init__(self, port: int, greeting: bytes | None) -> None:
        self.port = port
        self.greeting = greeting
        self.server: asyncio.AbstractServer | None = None
        self.writers: list[asyncio.StreamWriter] = []
        self.connections = 0

    async def _client(self, _: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.writers.append(writer)
        if self.greeting is not None:
            writer.write(self.greeting)
            await writer.drain()
            writer.close()

    async def __aenter__(self) -> RawServer:
        self.server = await asyncio.start_server(self._client, "127.0.0.1", self.port)
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self.server is not None
        self.server.close()
        for writer in self.writers:
            writer.close()
        await self.server.wait_closed()


def smtp_config(port: int, timeout: float = 2.0) -> SmtpConfig:
    return SmtpConfig(host="127.0.0.1", port=port, timeout_seconds=timeout, mail_from=MAIL_FROM)


def make_worker(port: int, clock: FakeClock, **overrides: Any) -> DeliveryWorker:
    options: dict[str, Any] = {
        "batch_size": 50,
        "concurrency": 10,
        "backoff": Backoff(base_seconds=1, cap_seconds=8, jitter=0.5),
        "poll_seconds": 0.01,
    }
    timeout = overrides.pop("timeout", 2.0)
    options.update(overrides)
    return DeliveryWorker(smtp_config(port, timeout), clock, **options)


def base_context(now: datetime, n: int = 0) -> dict[str, Any]:
    return {
        "cycle": "2024-25",
        "lea_name": f"Synthetic Unified {n}",
        "cds_code": f"{10000000000000 + n}",
        "selpa_name": "Synthetic SELPA",
        "selpa_code": "1001",
        "due_at": now,
        "reviewed_at": now,
    }


async def queue_many(
    count: int, now: datetime, *, recipients_per_event: int = 1, cycle_id: int | None = None
) -> None:
    """``count`` approved-notice rows: ``count / recipients_per_event`` events."""
    events = count // recipients_per_event
    for n in range(events):
        recipients = [f"r{n}-{k}@example.org" for k in range(recipients_per_event)]
        await queue(
            MailKind.APPROVED,
            event_key=f"test:{n}",
            recipients=recipients,
            context=base_context(now, n),
            now=now,
            cycle_id=cycle_id,
        )
