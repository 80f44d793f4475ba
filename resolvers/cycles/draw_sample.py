"""Draw (or, for an LEA added to an open cycle, draw late) the samples of a cycle (SPEC §3.3).

A required LEA with no roster rows is ROSTER_MISSING: it is not drawn (and never made exempt
for it); it keeps no sample until its roster is loaded. Exempt LEAs (an explicit decision) with
no roster rows get an empty sample.

Built for a statewide roster: LEAs are drawn in batches, each batch read with one query and
written with bulk statements in one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.connection import get_connection
from tortoise.transactions import in_transaction

from models import Cycle, LeaCycle, SampledStudent, Submission
from models.cycles.bands import NO_SWD_REASON, sample_size
from models.cycles.sampling import RosterEntry, draw_sample
from models.shared.enums import CycleStatus, SubmissionStatus
from resolvers.shared import bulk
from resolvers.shared.cycle_lock import locked_cycle

LEAS_PER_BATCH = 200


class DrawRefused(RuntimeError):
    pass


@dataclass(frozen=True)
class DrawnLea:
    cds_code: str
    population: int
    sample_size: int


@dataclass(frozen=True)
class _Member:
    id: int
    lea_id: int
    cds_code: str
    sample_size: int | None
    exempt_reason: str | None
    required: bool


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
    query = LeaCycle.filter(cycle=cycle, active=True)
    if only_cds is not None:
        query = query.filter(lea__cds_code=only_cds)
    members = [
        _Member(pk, lea_id, cds, size, reason, required)
        for pk, lea_id, cds, size, reason, required in await query.order_by(
            "lea__cds_code"
        ).values_list("id", "lea_id", "lea__cds_code", "sample_size", "exempt_reason", "required")
    ]
    if cycle.status is CycleStatus.OPEN:
        if only_cds is not None and members and members[0].sample_size is not None:
            raise DrawRefused(f"the sample of {only_cds} is frozen: cycle {cycle.name} is open")
        members = [m for m in members if m.sample_size is None]
    drawn: list[DrawnLea] = []
    for start in range(0, len(members), LEAS_PER_BATCH):
        drawn.extend(await _draw_batch(cycle, members[start : start + LEAS_PER_BATCH], now))
        if progress is not None:
            progress(len(drawn), len(members))
    if progress is not None and not members:
        progress(0, 0)
    return drawn


async def _draw_batch(cycle: Cycle, members: Sequence[_Member], now: datetime) -> list[DrawnLea]:
    lea_ids = [m.lea_id for m in members]
    rosters: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    _, rows = await get_connection("default").execute_query(
        "SELECT id, lea_id, ssid, disability_category FROM roster_student "  # noqa: S608
        f"WHERE cycle_id = {int(cycle.id)} AND lea_id IN ({', '.join(map(str, lea_ids))})"
    )
    for row in rows:
        rosters[row[1]].append((row[0], row[2], row[3]))
    samples: list[tuple[object, ...]] = []
    sizes: list[tuple[object, ...]] = []
    populated: list[int] = []
    drawn: list[DrawnLea] = []
    drawn_ids: list[int] = []
    for member in members:
        roster = rosters.pop(member.lea_id, [])
        population = len(roster)
        if population == 0 and member.required:
            continue
        drawn_ids.append(member.lea_id)
        n = sample_size(population, cycle.sample_bands, cycle.max_sample)
        ids = {ssid: pk for pk, ssid, _ in roster}
        chosen = draw_sample(
            cycle.sampling_seed, (RosterEntry(ssid, cat) for _, ssid, cat in roster), n
        )
        samples.extend(
            (cycle.id, member.lea_id, ids[d.ssid], d.ssid, d.selection_key) for d in chosen
        )
        sizes.append((population, n, now, member.id))
        if population and member.exempt_reason == NO_SWD_REASON:
            populated.append(member.id)
        drawn.append(DrawnLea(member.cds_code, population, n))
    async with in_transaction() as tx:
        status = (await locked_cycle(tx, cycle.id)).status
        if status is not cycle.status:
            raise DrawRefused(
                f"cycle {cycle.name} became {status.value} during the draw; run it again"
            )
        await SampledStudent.filter(cycle_id=cycle.id, lea_id__in=lea_ids).using_db(tx).delete()
        await bulk.insert_rows(
            tx,
            "sampled_student",
            ("cycle_id", "lea_id", "student_id", "ssid", "selection_key"),
            samples,
        )
        p = bulk.placeholders(tx, 4).split(", ")
        await bulk.execute_many(
            tx,
            f"UPDATE lea_cycle SET swd_count = {p[0]}, sample_size = {p[1]}, "  # noqa: S608
            f"sampled_at = {p[2]} WHERE id = {p[3]}",
            sizes,
        )
        if populated:
            await (
                LeaCycle.filter(id__in=populated, exempt_reason=NO_SWD_REASON)
                .using_db(tx)
                .update(required=True, exempt_reason=None)
            )
        await _ensure_submissions(tx, cycle.id, drawn_ids)
    return drawn


async def _ensure_submissions(tx: BaseDBAsyncClient, cycle_id: int, lea_ids: list[int]) -> None:
    rows = (
        await Submission.filter(cycle_id=cycle_id, lea_id__in=lea_ids)
        .using_db(tx)
        .values_list("lea_id")
    )
    present = {int(row[0]) for row in rows}
    await bulk.insert_rows(
        tx,
        "submission",
        ("cycle_id", "lea_id", "status", "version", "self_reviewed"),
        [
            (cycle_id, lea_id, SubmissionStatus.NOT_STARTED.value, 0, False)
            for lea_id in lea_ids
            if lea_id not in present
        ],
    )
