"""The burst's LEAs: an OPEN cycle beside the closed one, with 200 members whose sample is
drawn (their submissions NOT_STARTED or DRAFT) and an LEA access code each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from models import Cycle, Lea, LeaCycle, Selpa, Submission
from models.shared.enums import CycleStatus, Role, SubmissionStatus
from resolvers.access.issue_access_code import issue_code

CYCLE = "2025-26"
SAMPLE = 20


@dataclass(frozen=True)
class BurstLea:
    cds: str
    lea_id: int
    code: str
    access_code_id: int

    def counts(self) -> tuple[int, int, int]:
        """The counts this LEA's client saves: its own, adding up to the sample."""
        a = 10 + self.lea_id % 7
        b = (SAMPLE - a) // 2 + self.lea_id % 2
        return a, b, SAMPLE - a - b


@dataclass(frozen=True)
class BurstPlan:
    cycle: str
    cycle_id: int
    leas: tuple[BurstLea, ...]


async def burst_leas(secret: str, size: int) -> BurstPlan:
    """``size`` LEAs of the data set, members of a new OPEN cycle due in 30 days."""
    now = datetime.now(UTC)
    today = date.today()
    cycle = await Cycle.create(
        name=CYCLE,
        window_start=today - timedelta(days=1),
        window_end=today + timedelta(days=30),
        due_at=now + timedelta(days=30),
        sample_bands=[],
        certification_text="I certify.",
        reminder_days=[14, 7, 1],
        sampling_seed="bench-burst-seed-0123456789",
        status=CycleStatus.OPEN,
        opened_at=now,
    )
    leas = await Lea.all().order_by("id").limit(size)
    selpa = await Selpa.all().order_by("id").first()
    await LeaCycle.bulk_create(
        [
            LeaCycle(
                cycle_id=cycle.id,
                lea_id=lea.id,
                selpa=selpa,
                swd_count=100,
                sample_size=SAMPLE,
                sampled_at=now,
            )
            for lea in leas
        ],
        batch_size=1000,
    )
    await Submission.bulk_create(
        [
            Submission(cycle_id=cycle.id, lea_id=lea.id, status=initial_status(lea.id))
            for lea in leas
        ],
        batch_size=1000,
    )
    issued = []
    for lea in leas:
        code = await issue_code(secret, Role.LEA, now, cycle=cycle, lea=lea)
        issued.append(BurstLea(lea.cds_code, lea.id, code.code, code.record.id))
    return BurstPlan(cycle.name, cycle.id, tuple(issued))


def initial_status(lea_id: int) -> SubmissionStatus:
    return SubmissionStatus.DRAFT if lea_id % 2 else SubmissionStatus.NOT_STARTED
