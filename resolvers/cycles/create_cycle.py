"""Create a DRAFT cycle with every parameter of SPEC §3.1."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from models import Cycle
from models.cycles.bands import DEFAULT_BANDS, Band, validate_bands
from models.shared.identifiers import cycle_name_problem

DEFAULT_CERTIFICATION = (
    "On behalf of the Superintendent of the district and/or Principal, I certify that the data "
    "submitted is true and accurate to the best of my knowledge."
)

DEFAULT_SELPA_CERTIFICATION = (
    "On behalf of the SELPA, I certify that I reviewed this submission and that, to the best of "
    "my knowledge, the data are true and accurate."
)


class CycleSpecError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


@dataclass
class CycleSpec:
    name: str
    window_start: date
    window_end: date
    due_at: datetime
    max_sample: int = 500
    bands: list[Band] = field(default_factory=lambda: [dict(b) for b in DEFAULT_BANDS])  # type: ignore[misc]
    certification_text: str = DEFAULT_CERTIFICATION
    selpa_certification_text: str = DEFAULT_SELPA_CERTIFICATION
    reminder_days: list[int] = field(default_factory=lambda: [14, 7, 1])
    resubmission_grace_days: int = 10
    sampling_seed: str = field(default_factory=lambda: secrets.token_hex(32))

    def check(self) -> None:
        if problem := cycle_name_problem(self.name):
            raise CycleSpecError("name", problem)
        if self.window_end < self.window_start:
            raise CycleSpecError("window_end", "must not be before the window start")
        if self.due_at.tzinfo is None:
            raise CycleSpecError("due_at", "must carry a time zone")
        if self.due_at.date() < self.window_end:
            raise CycleSpecError("due_at", "must not be before the end of the service window")
        if not 1 <= self.max_sample <= 100_000:
            raise CycleSpecError("max_sample", "must be between 1 and 100000")
        try:
            self.bands = validate_bands(self.bands)
        except ValueError as exc:
            raise CycleSpecError("bands", str(exc)) from None
        if not self.certification_text.strip() or len(self.certification_text) > 4000:
            raise CycleSpecError("certification_text", "must be 1 to 4000 characters")
        if not self.selpa_certification_text.strip() or len(self.selpa_certification_text) > 4000:
            raise CycleSpecError("selpa_certification_text", "must be 1 to 4000 characters")
        if any(d < 1 or d > 365 for d in self.reminder_days):
            raise CycleSpecError("reminder_days", "each must be between 1 and 365")
        if not 0 <= self.resubmission_grace_days <= 365:
            raise CycleSpecError("resubmission_grace_days", "must be between 0 and 365")
        if not 16 <= len(self.sampling_seed) <= 128:
            raise CycleSpecError("sampling_seed", "must be 16 to 128 characters")


async def create_cycle(spec: CycleSpec) -> Cycle:
    spec.check()
    if await Cycle.exists(name=spec.name):
        raise CycleSpecError("name", f"a cycle {spec.name} exists already")
    return await Cycle.create(
        name=spec.name,
        window_start=spec.window_start,
        window_end=spec.window_end,
        due_at=spec.due_at,
        max_sample=spec.max_sample,
        sample_bands=spec.bands,
        certification_text=spec.certification_text,
        selpa_certification_text=spec.selpa_certification_text,
        reminder_days=sorted(set(spec.reminder_days), reverse=True),
        resubmission_grace_days=spec.resubmission_grace_days,
        sampling_seed=spec.sampling_seed,
    )
