"""Drawing samples in the database: reproducible on every engine, frozen once OPEN."""

import hashlib

import pytest
from tortoise.context import TortoiseContext

from models import Cycle, LeaCycle, RosterStudent, SampledStudent, Submission
from models.cycles.sampling import RosterEntry, draw_sample
from models.shared.enums import CycleStatus, SubmissionStatus
from resolvers.cycles.draw_sample import NO_SWD_REASON, DrawRefused, draw_cycle_samples
from resolvers.cycles.roster_missing import roster_missing
from tests.support.factories import BEFORE_DUE, make_cycle, make_lea, make_selpa

GOLDEN_SEED = "golden-seed-for-cross-engine-check"
GOLDEN_DIGEST = "ff5f2c4592fad3e6"


async def make_lea_roster(cycle: Cycle, membership: LeaCycle, count: int) -> None:
    """Add ``count`` synthetic students to an LEA's roster."""
    import random

    from iepimp import synthetic

    rng = random.Random(count)
    taken = set(await RosterStudent.filter(cycle=cycle).values_list("ssid", flat=True))
    await RosterStudent.bulk_create(
        [
            RosterStudent(
                cycle=cycle, lea_id=membership.lea_id, **synthetic.student(rng, taken, 2024)
            )
            for _ in range(count)
        ]
    )


async def _sampled(cycle: Cycle, cds: str) -> list[str]:
    return sorted(
        await SampledStudent.filter(cycle=cycle, lea__cds_code=cds).values_list("ssid", flat=True)
    )


async def test_draw_matches_the_pure_rule_and_a_fixed_digest(db: TortoiseContext) -> None:
    # given a cycle with a fixed seed and a synthetic roster of 260 students
    cycle = await make_cycle(seed=GOLDEN_SEED)
    selpa = await make_selpa("1234")
    await make_lea(cycle, "11111111111111", selpa, 260, seed=42)
    # when the sample is drawn
    await draw_cycle_samples(cycle, BEFORE_DUE)
    # then it is what the pure rule draws from the roster (26 = ⌈260/10⌉) …
    roster = await RosterStudent.filter(cycle=cycle).values_list("ssid", "disability_category")
    expected = sorted(
        d.ssid for d in draw_sample(GOLDEN_SEED, [RosterEntry(*r) for r in roster], 26)
    )
    drawn = await _sampled(cycle, "11111111111111")
    assert drawn == expected
    # … and the same on every engine (digest fixed once, checked on SQLite and PostgreSQL)
    assert hashlib.sha256(",".join(drawn).encode()).hexdigest()[:16] == GOLDEN_DIGEST
    membership = await LeaCycle.get(cycle=cycle)
    assert (membership.swd_count, membership.sample_size) == (260, 26)
    submission = await Submission.get(cycle=cycle)
    assert submission.status is SubmissionStatus.NOT_STARTED


async def test_insertion_order_does_not_change_the_draw(db: TortoiseContext) -> None:
    cycle = await make_cycle(seed=GOLDEN_SEED)
    selpa = await make_selpa("1234")
    await make_lea(cycle, "11111111111111", selpa, 150, seed=5)
    rows = (
        await RosterStudent.filter(cycle=cycle)
        .order_by("id")
        .values(
            "ssid",
            "first_name",
            "last_name",
            "birth_date",
            "grade",
            "disability_category",
            "lea_id",
        )
    )
    await draw_cycle_samples(cycle, BEFORE_DUE)
    first = await _sampled(cycle, "11111111111111")
    # when the roster is re-inserted in reverse order and drawn again
    await SampledStudent.filter(cycle=cycle).delete()
    await RosterStudent.filter(cycle=cycle).delete()
    await RosterStudent.bulk_create([RosterStudent(cycle=cycle, **row) for row in reversed(rows)])
    await LeaCycle.filter(cycle=cycle).update(sample_size=None)
    await draw_cycle_samples(cycle, BEFORE_DUE)
    # then the same students are drawn
    assert await _sampled(cycle, "11111111111111") == first


async def test_lea_declared_without_students_is_exempt(db: TortoiseContext) -> None:
    cycle = await make_cycle()
    await make_lea(cycle, "11111111111111", await make_selpa("1234"), 0)
    await draw_cycle_samples(cycle, BEFORE_DUE)
    membership = await LeaCycle.get(cycle=cycle)
    assert membership.required is False
    assert membership.exempt_reason == NO_SWD_REASON
    assert membership.sample_size == 0


async def test_open_cycle_freezes_drawn_samples_but_draws_a_new_lea(db: TortoiseContext) -> None:
    # given an open cycle whose LEA has a sample
    cycle = await make_cycle(seed=GOLDEN_SEED)
    selpa = await make_selpa("1234")
    await make_lea(cycle, "11111111111111", selpa, 40)
    await draw_cycle_samples(cycle, BEFORE_DUE)
    before = await _sampled(cycle, "11111111111111")
    await Cycle.filter(id=cycle.id).update(status=CycleStatus.OPEN)
    await cycle.refresh_from_db()
    # when an LEA is added later and the draw runs again
    await make_lea(cycle, "22222222222222", selpa, 30)
    drawn = await draw_cycle_samples(cycle, BEFORE_DUE)
    # then only the new LEA is drawn and the first sample is untouched
    assert [d.cds_code for d in drawn] == ["22222222222222"]
    assert await _sampled(cycle, "11111111111111") == before
    assert len(await _sampled(cycle, "22222222222222")) == 20
    # and redrawing a frozen LEA explicitly is refused
    with pytest.raises(DrawRefused):
        await draw_cycle_samples(cycle, BEFORE_DUE, only_cds="11111111111111")


async def test_closed_cycle_refuses_any_draw(db: TortoiseContext) -> None:
    cycle = await make_cycle(status=CycleStatus.CLOSED)
    with pytest.raises(DrawRefused):
        await draw_cycle_samples(cycle, BEFORE_DUE)


async def test_exemption_declared_by_the_directory_yields_to_a_loaded_roster(
    db: TortoiseContext,
) -> None:
    # given an LEA the directory declared to have no students (exempt), drawn empty
    cycle = await make_cycle()
    selpa = await make_selpa("1234")
    membership = await make_lea(cycle, "11111111111111", selpa, 0)
    await draw_cycle_samples(cycle, BEFORE_DUE)
    await membership.refresh_from_db()
    assert (membership.required, membership.exempt_reason, membership.sample_size) == (
        False,
        NO_SWD_REASON,
        0,
    )
    await make_lea_roster(cycle, membership, 30)
    await LeaCycle.filter(id=membership.id).update(sample_size=None)
    # when its roster turns out to hold students and the sample is drawn again
    await draw_cycle_samples(cycle, BEFORE_DUE)
    # then the LEA is required again, with its sample
    await membership.refresh_from_db()
    assert (membership.required, membership.exempt_reason, membership.sample_size) == (
        True,
        None,
        20,
    )


async def test_required_lea_without_roster_is_roster_missing_never_exempt(
    db: TortoiseContext,
) -> None:
    # given a required LEA whose roster was never loaded, beside one with a roster
    cycle = await make_cycle()
    selpa = await make_selpa("1234")
    missing = await make_lea(cycle, "11111111111111", selpa, 0, declared_none=False)
    await make_lea(cycle, "22222222222222", selpa, 30)
    # when the sample is drawn
    drawn = await draw_cycle_samples(cycle, BEFORE_DUE)
    # then only the LEA with a roster is drawn; the other stays required, without a sample
    assert [d.cds_code for d in drawn] == ["22222222222222"]
    await missing.refresh_from_db()
    assert (missing.required, missing.exempt_reason, missing.sample_size) == (True, None, None)
    assert await roster_missing(cycle.id) == ["11111111111111"]
    assert not await Submission.filter(cycle=cycle, lea_id=missing.lea_id).exists()


async def test_a_draw_never_lands_in_a_cycle_that_opened_meanwhile(db: TortoiseContext) -> None:
    # given a DRAFT cycle object read before another process opened the cycle
    cycle = await make_cycle()
    await make_lea(cycle, "11111111111111", await make_selpa("1234"), 30)
    await Cycle.filter(id=cycle.id).update(status=CycleStatus.OPEN)
    # when the stale draw runs, then it is refused and nothing is drawn
    with pytest.raises(DrawRefused):
        await draw_cycle_samples(cycle, BEFORE_DUE)
    assert await SampledStudent.filter(cycle_id=cycle.id).count() == 0
