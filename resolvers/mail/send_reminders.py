"""Deadline reminders: to the LEA contact of each required LEA not yet submitted, once per
reminder day (SPEC §3.1, §7). Safe to run as often as cron likes.

Days are Pacific calendar days between today and the LEA's effective due time. A run that
finds an LEA between two reminder days queues the nearest reminder day not yet reached
(so a missed cron run is caught up, once); the outbox's unique (event, recipient) key makes
every reminder happen at most once. The key names the due date, so an extension starts the
reminders over for the new due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from mailers.compose import MailKind
from mailers.outbox import queue
from models import Cycle, LeaCycle, Submission
from models.shared.deadlines import effective_due, is_on_time, to_pacific
from models.shared.enums import CycleStatus, SubmissionStatus

SUBMITTED = (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED)


@dataclass
class ReminderRun:
    cycles: int = 0
    due_today: int = 0
    queued: int = 0


def days_left(now: datetime, due: datetime) -> int:
    """Pacific calendar days from ``now`` to the due time (0 on the due day)."""
    return (to_pacific(due).date() - to_pacific(now).date()).days


def reminder_day(reminder_days: list[int], left: int) -> int | None:
    """The reminder day a run with ``left`` days to go stands for: the nearest one reached."""
    reached = [d for d in reminder_days if d >= left]
    return min(reached) if reached and left >= 0 else None


async def send_reminders(now: datetime, cycle_name: str | None = None) -> ReminderRun:
    run = ReminderRun()
    cycles = Cycle.filter(status=CycleStatus.OPEN)
    if cycle_name is not None:
        cycles = cycles.filter(name=cycle_name)
    for cycle in await cycles.order_by("name"):
        run.cycles += 1
        await _cycle_reminders(cycle, now, run)
    return run


async def _cycle_reminders(cycle: Cycle, now: datetime, run: ReminderRun) -> None:
    days = sorted({int(d) for d in (cycle.reminder_days or []) if int(d) >= 0})
    if not days:
        return
    members = (
        await LeaCycle.filter(cycle_id=cycle.id, active=True, required=True)
        .exclude(contact_email="")
        .select_related("lea", "selpa")
        .order_by("lea__cds_code")
    )
    statuses = dict(await Submission.filter(cycle_id=cycle.id).values_list("lea_id", "status"))
    for member in members:
        status = statuses.get(member.lea_id, SubmissionStatus.NOT_STARTED)
        if SubmissionStatus(status) in SUBMITTED:
            continue
        due = effective_due(cycle.due_at, member.due_at_extension)
        if not is_on_time(now, due):
            continue
        left = days_left(now, due)
        day = reminder_day(days, left)
        if day is None:
            continue
        run.due_today += 1
        selpa = member.selpa
        async with in_transaction() as tx:
            run.queued += await queue(
                MailKind.DEADLINE_REMINDER,
                event_key=(f"reminder:{cycle.id}:{member.lea_id}:{to_pacific(due):%Y%m%d}:{day}"),
                recipients=[member.contact_email],
                context={
                    "cycle": cycle.name,
                    "lea_name": member.lea.name,
                    "cds_code": member.lea.cds_code,
                    "selpa_name": selpa.name if selpa else "",
                    "selpa_code": selpa.code if selpa else "",
                    "due_at": due,
                    "days_left": left,
                    "status": SubmissionStatus(status).value,
                },
                now=now,
                cycle_id=cycle.id,
                using=tx,
            )
