"""``iepimp deliver-mail`` and ``iepimp send-reminders``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal

from kernel.clock import system_clock
from kernel.settings import Settings
from mailers.outbox import outbox_depth
from mailers.smtp import SmtpConfig
from mailers.worker import DeliveryWorker
from models.shared.enums import OutboxStatus
from resolvers.mail.send_reminders import send_reminders


async def deliver_mail(args: argparse.Namespace, settings: Settings) -> int:
    """Deliver the outbox: every message due now (``--once``), or until stopped."""
    worker = DeliveryWorker(SmtpConfig.from_settings(settings), system_clock)
    if args.once:
        tally = await worker.drain()
        depth = await outbox_depth()
        print(
            f"sent {tally.sent}, to retry {tally.retried}, failed {tally.failed}; "
            f"outbox: {depth[OutboxStatus.PENDING]} pending, "
            f"{depth[OutboxStatus.FAILED]} failed"
        )
        return 0
    task = asyncio.current_task()
    loop = asyncio.get_running_loop()
    if task is not None:
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signal.SIGTERM, task.cancel)
    where = (
        f"into {settings.mail_dir}/ (.eml files)"
        if settings.mail_dir
        else f"via {settings.smtp_host}:{settings.smtp_port}"
    )
    print(f"delivering mail {where}; stop with Ctrl-C", flush=True)
    with contextlib.suppress(asyncio.CancelledError):
        await worker.run_forever()
    return 0


async def send_reminders_command(args: argparse.Namespace, _: Settings) -> int:
    """Queue today's deadline reminders (idempotent: run it from cron as often as you like)."""
    run = await send_reminders(system_clock(), args.cycle)
    print(
        f"{run.cycles} open cycle(s): {run.due_today} LEA(s) due a reminder, "
        f"{run.queued} newly queued"
    )
    return 0
