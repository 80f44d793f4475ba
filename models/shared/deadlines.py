"""Due times, extensions and the resubmission grace, compared as instants (SPEC §3.1, §3.6).

A due time names a minute: "due 23:59" is on time through 23:59:59.999999 of that minute.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

PACIFIC = ZoneInfo("America/Los_Angeles")
ONE_MINUTE = timedelta(minutes=1)


def pacific_minute(day: date, hour: int = 23, minute: int = 59) -> datetime:
    """``day hour:minute`` in America/Los_Angeles as an aware instant."""
    return datetime.combine(day, time(hour, minute), tzinfo=PACIFIC)


def end_of_minute(due: datetime) -> datetime:
    """The first instant that is late for a due time."""
    if due.tzinfo is None:
        raise ValueError("due times must be aware instants")
    return due.replace(second=0, microsecond=0) + ONE_MINUTE


def effective_due(cycle_due: datetime, extension: datetime | None) -> datetime:
    """The LEA's due time: its extension when one was granted, else the cycle's."""
    return extension if extension is not None and extension > cycle_due else cycle_due


def writable_until(due: datetime, rejected_at: datetime | None, grace_days: int) -> datetime:
    """After a rejection the LEA may write until the later of its due time and reject + grace."""
    if rejected_at is None:
        return due
    return max(due, rejected_at + timedelta(days=grace_days))


def is_on_time(now: datetime, due: datetime) -> bool:
    return now < end_of_minute(due)


@lru_cache(maxsize=8192)
def to_pacific(instant: datetime) -> datetime:
    return instant.astimezone(PACIFIC)


def may_write(now: datetime, due: datetime, rejected_at: datetime | None, grace_days: int) -> bool:
    """LEA/SELPA writes: on time for the due minute, or within the grace after a rejection."""
    if is_on_time(now, due):
        return True
    return rejected_at is not None and now <= writable_until(due, rejected_at, grace_days)


def reopen_due(now: datetime, due: datetime, grace_days: int) -> datetime | None:
    """The new due time of a submission reopened at ``now``: None while ``due`` still leaves the
    grace days; else 23:59 Pacific of the day ``grace_days`` from now."""
    if end_of_minute(due) - now >= timedelta(days=grace_days):
        return None
    return pacific_minute(to_pacific(now + timedelta(days=grace_days)).date())
