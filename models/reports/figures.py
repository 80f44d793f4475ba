"""One report row's figures as the database aggregated them, and the rates derived from them
(SPEC §3.8). Percentages come from the integers, two decimals, half-up; 0/0 is None."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from models.shared.enums import ReportGrouping
from models.worksheet.categories import percent_half_up

STATE_KEY = "CA"
STATE_LABEL = "California"


@dataclass(frozen=True, slots=True)
class Rate:
    """A share with its percentage; a value, shared by every row that has the same one
    (``rate``)."""

    numerator: int
    denominator: int
    percent: str | None = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "percent", percent_half_up(self.numerator, self.denominator))


@lru_cache(maxsize=65_536)
def rate(numerator: int, denominator: int) -> Rate:
    """The rate ``numerator``/``denominator``, made once for every row that has it."""
    return Rate(numerator, denominator)


@dataclass(slots=True)
class GroupFigures:
    """LEA counts are of required LEAs by current status (exempt LEAs apart); student counts
    are of the submissions whose status the report selected.

    Figures are values, never changed once read; they are not frozen only because a frozen
    dataclass costs several times as much to build, and a report holds thousands of rows."""

    grouping: ReportGrouping
    key: str
    label: str
    selpa_code: str | None
    required: int
    exempt: int
    not_started: int
    draft: int
    submitted: int
    approved: int
    rejected: int
    count_a: int
    count_b: int
    count_c: int
    on_time: int
    extensions_granted: int
    self_reviewed: int = 0
    """Approved LEAs whose SELPA approved counts it had entered and submitted itself."""

    @property
    def county(self) -> str | None:
        """The county code of an LEA row (the first two CDS digits)."""
        return self.key[:2] if self.grouping is ReportGrouping.LEA else None

    @property
    def total(self) -> int:
        return self.count_a + self.count_b + self.count_c

    @property
    def leas_submitted(self) -> int:
        """Submitted means current status SUBMITTED or APPROVED (SPEC §3.7)."""
        return self.submitted + self.approved

    @property
    def response_rate(self) -> Rate:
        return rate(self.leas_submitted, self.required)

    @property
    def timeliness(self) -> Rate:
        return rate(self.on_time, self.leas_submitted)

    def share(self, count: int) -> Rate:
        return rate(count, self.total)
