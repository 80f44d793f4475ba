"""An LEA added to an OPEN cycle: its roster loads, its sample is drawn and its code issued,
while the LEAs that already have a sample stay untouched (SPEC §3.3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from models import LeaCycle, SampledStudent
from resolvers.access.issue_cycle_codes import issue_cycle_codes
from resolvers.cycles.draw_sample import draw_cycle_samples
from resolvers.cycles.roster_missing import roster_missing
from resolvers.directory.import_file import ImportRefused
from resolvers.directory.import_roster import import_roster
from tests.support.factories import LEA_A1, SECRET, FakeClock, World, make_lea

LATE = "10000000000099"
HEADER = "cds_code,ssid,first_name,last_name,birth_date,grade,disability_category\n"


def _roster(path: Path, rows: list[tuple[str, int]]) -> Path:
    lines = (f"{cds},{ssid:010d},Ana,Late,2014-05-01,05,SLD\n" for cds, ssid in rows)
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


async def _sampled(cds: str) -> list[str]:
    return sorted(await SampledStudent.filter(lea__cds_code=cds).values_list("ssid", flat=True))


async def test_a_late_lea_gets_its_roster_sample_and_code_in_an_open_cycle(
    world: World, clock: FakeClock, tmp_path: Path
) -> None:
    # given an OPEN cycle and an LEA added to it later, with no roster: ROSTER_MISSING
    await make_lea(world.cycle, LATE, world.selpa_a, 0, declared_none=False)
    assert await roster_missing(world.cycle.id) == [LATE]
    before = await _sampled(LEA_A1)
    # when CDE loads a file that also lists a student of an LEA that has a sample
    mixed = [(LATE, 7_000_000_000 + i) for i in range(25)] + [(LEA_A1, 7_100_000_000)]
    with pytest.raises(ImportRefused) as refused:
        await import_roster(world.cycle.name, _roster(tmp_path / "r.csv", mixed), clock())
    # then it is refused by line for that LEA, and nothing changes
    assert [(e.line, e.column) for e in refused.value.errors] == [(27, "cds_code")]
    assert "already has a sample" in refused.value.errors[0].reason
    assert await roster_missing(world.cycle.id) == [LATE]
    # when the file lists only the late LEA, it loads, and the draw draws only that LEA
    result = await import_roster(world.cycle.name, _roster(tmp_path / "r.csv", mixed[:-1]), clock())
    assert (result.inserted, result.leas_changed) == (25, 1)
    drawn = await draw_cycle_samples(world.cycle, clock())
    assert [(d.cds_code, d.population, d.sample_size) for d in drawn] == [(LATE, 25, 20)]
    assert await _sampled(LEA_A1) == before
    assert await roster_missing(world.cycle.id) == []
    late = await LeaCycle.get(lea__cds_code=LATE)
    assert (late.required, late.swd_count, late.sample_size) == (True, 25, 20)
    # and its access code follows (the others keep theirs)
    issued, _ = await issue_cycle_codes(SECRET, world.cycle, clock())
    assert [row.scope_code for row in issued if row.scope_code == LATE] == [LATE]


async def test_an_open_cycle_refuses_moving_a_sampled_student_to_a_late_lea(
    world: World, clock: FakeClock, tmp_path: Path
) -> None:
    # given a student already on LEA_A1's roster
    await make_lea(world.cycle, LATE, world.selpa_a, 0, declared_none=False)
    taken = await SampledStudent.filter(lea__cds_code=LEA_A1).first()
    assert taken is not None
    # when a late LEA's file lists that SSID, it is refused and nothing changes
    rows = [(LATE, int(taken.ssid))]
    with pytest.raises(ImportRefused):
        await import_roster(world.cycle.name, _roster(tmp_path / "r.csv", rows), clock())
    assert await roster_missing(world.cycle.id) == [LATE]
