"""Draw (or, for an LEA added to an open cycle, draw late) the samples of a cycle (SPEC §3.3)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from models import Cycle, LeaCycle, RosterStudent, SampledStudent, Submission
from models.bands import sample_size
from models.enums import CycleStatus
from models.sampling import RosterEntry, draw_sample

NO_SWD_REASON = "no students with disabilities"


class DrawRefused(RuntimeError):
    pass


@dataclass(frozen=True)
class DrawnLea:
    cds_code: str
    population: int
    sample_size: int


async def draw_cycle_samples(
    cycle: Cycle,
    now: datetime,
    *,
    only_cds: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[DrawnLea]:
    """Draw every active LEA's sample; once the cycle is OPEN only LEAs without one."""
    if cycle.status is CycleStatus.CLOSED:
        raise DrawRefused(f"cycle {cycle.name} is closed")
    members = LeaCycle.filter(cycle=cycle, active=True).select_related("lea")
    if only_cds is not None:
        members = members.filter(lea__cds_code=only_cds)
    rows = await members.order_by("lea__cds_code")
    if cycle.status is CycleStatus.OPEN:
        if only_cds is not None and rows and rows[0].sample_size is not None:
            raise DrawRefused(f"the sample of {only_cds} is frozen: cycle {cycle.name} is open")
        rows = [row for row in rows if row.sample_size is None]
    drawn: list[DrawnLea] = []
    for index, membership in enumerate(rows, start=1):
        drawn.append(await _draw_one(cycle, membership, now))
        if progress is not None:
            progress(index, len(rows))
    return drawn


async def _draw_one(cycle: Cycle, membership: LeaCycle, now: datetime) -> DrawnLea:
    lea_id: int = membership.lea_id  # type: ignore[attr-defined]
    roster = await RosterStudent.filter(cycle=cycle, lea_id=lea_id).values_list(
        "id", "ssid", "disability_category"
    )
    population = len(roster)
    n = sample_size(population, cycle.sample_bands, cycle.max_sample)
    chosen = draw_sample(
        cycle.sampling_seed, (RosterEntry(ssid, cat) for _, ssid, cat in roster), n
    )
    ids = {ssid: pk for pk, ssid, _ in roster}
    async with in_transaction() as tx:
        await SampledStudent.filter(cycle=cycle, lea_id=lea_id).using_db(tx).delete()
        await SampledStudent.bulk_create(
            [
                SampledStudent(
                    cycle=cycle,
                    lea_id=lea_id,
                    student_id=ids[d.ssid],
                    ssid=d.ssid,
                    selection_key=d.selection_key,
                )
                for d in chosen
            ],
            batch_size=1000,
            using_db=tx,
        )
        updates: dict[str, object] = {"swd_count": population, "sample_size": n, "sampled_at": now}
        if population == 0:
            updates.update(required=False, exempt_reason=NO_SWD_REASON)
        await LeaCycle.filter(id=membership.id).using_db(tx).update(**updates)
        await Submission.get_or_create(cycle=cycle, lea_id=lea_id, using_db=tx)
    return DrawnLea(membership.lea.cds_code, population, n)
