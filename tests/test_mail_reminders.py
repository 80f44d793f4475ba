"""``send-reminders``: one reminder per required LEA not yet submitted, on each reminder day,
to the LEA contact, never twice (SPEC §3.1, §7)."""

from __future__ import annotations

from datetime import UTC, datetime

from models import LeaCycle, OutboxMessage, Submission
from models.shared.deadlines import PACIFIC
from models.shared.enums import SubmissionStatus
from resolvers.mail.send_reminders import send_reminders
from tests.support.factories import FakeClock, World


def pacific(month: int, day: int, hour: int = 6) -> datetime:
    return datetime(2025, month, day, hour, 0, tzinfo=PACIFIC)


async def set_status(world: World, member: LeaCycle, status: SubmissionStatus) -> None:
    await Submission.update_or_create(
        cycle_id=world.cycle.id,
        lea_id=member.lea_id,  # type: ignore[attr-defined]
        defaults={"status": status},
    )


async def reminders() -> list[tuple[str, str]]:
    rows = await OutboxMessage.filter(kind="deadline_reminder").order_by("id")
    return [(row.recipient, row.event_key.rsplit(":", 1)[1]) for row in rows]


async def test_reminders_go_once_per_lea_per_reminder_day(world: World, clock: FakeClock) -> None:
    # given a cycle due June 30 with reminder days 14, 7, 1; LEA A1 has already submitted;
    # B2 is exempt; A2 has a draft; B1 has not started
    assert world.cycle.reminder_days == [14, 7, 1]
    await set_status(world, world.lea_a1, SubmissionStatus.SUBMITTED)
    await set_status(world, world.lea_a2, SubmissionStatus.DRAFT)
    a2, b1 = world.lea_a2.contact_email, world.lea_b1.contact_email
    # when reminders run on a day that is no reminder day
    assert (await send_reminders(pacific(6, 10))).queued == 0
    # and then on June 16 (14 Pacific days before), twice
    first = await send_reminders(pacific(6, 16))
    again = await send_reminders(pacific(6, 16, 22))
    # then A2 and B1 got one reminder each, the second run none
    assert (first.queued, again.queued) == (2, 0)
    assert await reminders() == [(a2, "14"), (b1, "14")]
    # and days between reminder days add nothing
    assert (await send_reminders(pacific(6, 20))).queued == 0
    # when B1 submits and the 7-day and 1-day reminders come round
    await set_status(world, world.lea_b1, SubmissionStatus.APPROVED)
    await send_reminders(pacific(6, 23))
    await send_reminders(pacific(6, 23))
    await send_reminders(pacific(6, 29, 23))
    # then only A2 is reminded
    assert await reminders() == [(a2, "14"), (b1, "14"), (a2, "7"), (a2, "1")]
    # and nothing is sent after the due time
    assert (await send_reminders(datetime(2025, 7, 1, 7, 0, tzinfo=UTC))).queued == 0
    assert len(await reminders()) == 4


async def test_reminder_content_and_recipient(world: World) -> None:
    await send_reminders(pacific(6, 29, 20))
    row = await OutboxMessage.get(recipient=world.lea_b1.contact_email)
    assert row.cycle_id == world.cycle.id  # type: ignore[attr-defined]
    assert "due in 1 day" in row.subject
    assert "20000000000001" in row.body_text
    assert "Monday, June 30, 2025 at 11:59 PM PDT" in row.body_text
    assert "not started" in row.body_text
    assert await OutboxMessage.filter(recipient=world.lea_b2.contact_email).count() == 0


async def test_a_missed_day_is_caught_up_once(world: World) -> None:
    # given cron did not run on the 7-day reminder day
    await send_reminders(pacific(6, 25))
    await send_reminders(pacific(6, 26))
    # then the run after it sends the 7-day reminder once, saying how many days are left
    rows = await OutboxMessage.filter(recipient=world.lea_a1.contact_email)
    assert [row.event_key.rsplit(":", 1)[1] for row in rows] == ["7"]
    assert "due in 5 days" in rows[0].subject


async def test_an_extension_moves_the_reminders(world: World, clock: FakeClock) -> None:
    # given A1 was granted an extension to July 14
    await LeaCycle.filter(id=world.lea_a1.id).update(
        due_at_extension=datetime(2025, 7, 14, 23, 59, tzinfo=PACIFIC)
    )
    # when reminders run 1 day before the cycle's due time and 1 day before A1's
    await send_reminders(pacific(6, 29))
    await send_reminders(pacific(7, 13))
    # then A1 is reminded of its own due time only
    rows = await OutboxMessage.filter(recipient=world.lea_a1.contact_email).order_by("id")
    assert len(rows) == 1
    assert "Monday, July 14, 2025 at 11:59 PM PDT" in rows[0].body_text
    assert "due in 1 day" in rows[0].subject


async def test_only_the_named_cycle(world: World) -> None:
    run = await send_reminders(pacific(6, 29), "2023-24")
    assert (run.cycles, run.queued) == (0, 0)
    run = await send_reminders(pacific(6, 29), "2024-25")
    assert (run.cycles, run.queued) == (1, 3)
