"""The minutes worksheet: per-student minutes, their checks and the derived counts (SPEC §3.9).

Pure rules: nothing here touches the database. A problem names an entry by its position and a
column, and says what is wrong without repeating the value (it may be an SSID).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from models.shared import identifiers as formats
from models.shared.enums import Category
from models.worksheet.categories import category, percent_half_up

MINUTES_PER_DAY = 1_440
SSID, PRESCRIBED, PROVIDED, ROW = "ssid", "prescribed", "provided", "row"
_COLUMN_ORDER = {ROW: 0, SSID: 1, PRESCRIBED: 2, PROVIDED: 3}


def window_minutes(start: date, end: date) -> int:
    """Minutes in the inclusive service window: 59 days × 1,440 = 84,960 for 2024-25."""
    return ((end - start).days + 1) * MINUTES_PER_DAY


@dataclass(frozen=True)
class MinutesEntry:
    """One student's minutes; both ``None`` clears the entry."""

    ssid: str
    prescribed: int | None
    provided: int | None

    @property
    def clears(self) -> bool:
        return self.prescribed is None and self.provided is None


@dataclass(frozen=True)
class EntryProblem:
    """What is wrong with entry ``index`` in ``column``; ``earlier`` is the entry it repeats."""

    index: int
    column: str
    reason: str
    earlier: int | None = None

    @property
    def position(self) -> tuple[int, int]:
        return (self.index, _COLUMN_ORDER.get(self.column, -1))


def entry_problems(
    entries: Sequence[MinutesEntry],
    sample: Collection[str],
    window: int,
    reported: Collection[tuple[int, str]] = (),
) -> list[EntryProblem]:
    """Every problem of every entry, in entry order; cells in ``reported`` (and every cell of
    an entry whose whole row is reported) are not re-checked.

    An SSID outside ``sample`` gets the same answer whether it is unknown or another LEA's.
    """
    problems: list[EntryProblem] = []
    first_seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        if (index, ROW) in reported:
            continue
        if (index, SSID) not in reported:
            if problem := formats.ssid_problem(entry.ssid):
                problems.append(EntryProblem(index, SSID, problem))
            elif entry.ssid not in sample:
                problems.append(EntryProblem(index, SSID, "is not a student in this LEA's sample"))
            elif entry.ssid in first_seen:
                problems.append(
                    EntryProblem(
                        index, SSID, "repeats an SSID given earlier", first_seen[entry.ssid]
                    )
                )
            else:
                first_seen[entry.ssid] = index
        skip_prescribed = (index, PRESCRIBED) in reported
        skip_provided = (index, PROVIDED) in reported
        if entry.clears and not (skip_prescribed or skip_provided):
            continue
        for column, value, low, skip in (
            (PRESCRIBED, entry.prescribed, 1, skip_prescribed),
            (PROVIDED, entry.provided, 0, skip_provided),
        ):
            if skip:
                continue
            if value is None:
                problems.append(
                    EntryProblem(index, column, "is empty while the other minutes are given")
                )
            elif not low <= value <= window:
                problems.append(
                    EntryProblem(index, column, f"must be a whole number from {low} to {window}")
                )
    return problems


def rate_percent(provided: int | None, prescribed: int | None) -> str | None:
    """The rate for display: two decimals, half-up; None while either minutes are missing."""
    if provided is None or prescribed is None or prescribed <= 0:
        return None
    return percent_half_up(provided, prescribed)


def student_category(provided: int | None, prescribed: int | None) -> Category | None:
    if provided is None or prescribed is None or prescribed <= 0 or provided < 0:
        return None
    return category(provided, prescribed)


@dataclass(frozen=True)
class WorksheetCounts:
    """An LEA's worksheet summed up: sampled students, those without minutes, and A/B/C over
    the students with minutes."""

    sampled: int = 0
    missing: int = 0
    count_a: int = 0
    count_b: int = 0
    count_c: int = 0

    @property
    def complete(self) -> bool:
        return self.sampled > 0 and self.missing == 0

    @property
    def counts(self) -> tuple[int, int, int]:
        return (self.count_a, self.count_b, self.count_c)

    def differs_from(self, saved: tuple[int | None, int | None, int | None]) -> bool | None:
        """Whether complete derived counts differ from the saved ones (nothing saved differs);
        None while the worksheet is incomplete."""
        if not self.complete:
            return None
        return self.counts != saved
