"""Builders for synthetic test data (no real student data anywhere)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from starlette.applications import Starlette

from iepimp import synthetic
from iepimp.app import create_app
from kernel.settings import load_settings
from models import Cycle, Lea, LeaCycle, RosterStudent, Selpa
from models.cycles.bands import NO_SWD_REASON
from models.shared.deadlines import pacific_minute
from models.shared.enums import CycleStatus, Role
from resolvers.access.issue_access_code import issue_code
from resolvers.cycles.create_cycle import CycleSpec, create_cycle
from resolvers.cycles.draw_sample import draw_cycle_samples

SECRET = "test-secret-key-0123456789abcdef0123456789"
DUE = pacific_minute(date(2025, 6, 30))
"""2025-06-30 23:59 Pacific (PDT, UTC-7)."""
BEFORE_DUE = datetime(2025, 5, 15, 12, 0, tzinfo=UTC)


class FakeClock:
    """The injectable clock, standing wherever a test puts it."""

    def __init__(self, now: datetime = BEFORE_DUE) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


async def make_cycle(
    name: str = "2024-25",
    *,
    status: CycleStatus = CycleStatus.DRAFT,
    due_at: datetime | None = None,
    seed: str = "0123456789abcdef-test-seed",
    **overrides: object,
) -> Cycle:
    start = int(name[:4])
    spec = CycleSpec(
        name=name,
        window_start=date(start + 1, 3, 3),
        window_end=date(start + 1, 4, 30),
        due_at=due_at or pacific_minute(date(start + 1, 6, 30)),
        sampling_seed=seed,
    )
    for key, value in overrides.items():
        setattr(spec, key, value)
    cycle = await create_cycle(spec)
    if status is not CycleStatus.DRAFT:
        await Cycle.filter(id=cycle.id).update(status=status)
        await cycle.refresh_from_db()
    return cycle


async def make_selpa(code: str, name: str | None = None) -> Selpa:
    selpa, _ = await Selpa.get_or_create(
        code=code,
        defaults={
            "name": name or f"SELPA {code}",
            "contact_name": f"Contact {code}",
            "contact_email": f"selpa{code}@example.org",
        },
    )
    return selpa


async def make_lea(
    cycle: Cycle,
    cds_code: str,
    selpa: Selpa | None,
    swd: int = 30,
    *,
    required: bool = True,
    seed: int = 1,
    categories: list[str] | None = None,
    declared_none: bool | None = None,
) -> LeaCycle:
    """An LEA in ``cycle`` with ``swd`` synthetic roster students (not yet sampled). An LEA
    with ``swd`` 0 is declared by the directory to have no students with disabilities (exempt)
    unless ``declared_none`` is False: then it is required and its roster is missing."""
    lea, _ = await Lea.get_or_create(cds_code=cds_code, defaults={"name": f"LEA {cds_code}"})
    exempt = swd == 0 if declared_none is None else declared_none
    membership = await LeaCycle.create(
        cycle=cycle,
        lea=lea,
        selpa=selpa,
        required=required and not exempt,
        exempt_reason=NO_SWD_REASON if exempt else None,
        contact_name=f"Director {cds_code[-4:]}",
        contact_email=f"director{cds_code}@example.org",
    )
    rng = random.Random(f"{cds_code}-{seed}")
    taken = set(await RosterStudent.filter(cycle=cycle).values_list("ssid", flat=True))
    rows = []
    for i in range(swd):
        values = synthetic.student(rng, taken, int(cycle.name[:4]))
        if categories:
            values["disability_category"] = categories[i % len(categories)]
        rows.append(RosterStudent(cycle=cycle, lea=lea, **values))
    await RosterStudent.bulk_create(rows, batch_size=1000)
    return membership


@dataclass
class World:
    """Two SELPAs, each with two LEAs, in an OPEN cycle; one access code per role and scope."""

    cycle: Cycle
    selpa_a: Selpa
    selpa_b: Selpa
    lea_a1: LeaCycle
    lea_a2: LeaCycle
    lea_b1: LeaCycle
    lea_b2: LeaCycle
    codes: dict[str, str] = field(default_factory=dict)


SELPA_A, SELPA_B = "1001", "2002"
LEA_A1, LEA_A2 = "10000000000001", "10000000000002"
LEA_B1, LEA_B2 = "20000000000001", "20000000000002"


async def build_world(
    now: datetime = BEFORE_DUE, *, status: CycleStatus = CycleStatus.OPEN
) -> World:
    cycle = await make_cycle()
    selpa_a, selpa_b = await make_selpa(SELPA_A), await make_selpa(SELPA_B)
    world = World(
        cycle=cycle,
        selpa_a=selpa_a,
        selpa_b=selpa_b,
        lea_a1=await make_lea(cycle, LEA_A1, selpa_a, 30),
        lea_a2=await make_lea(cycle, LEA_A2, selpa_a, 12),
        lea_b1=await make_lea(cycle, LEA_B1, selpa_b, 25),
        lea_b2=await make_lea(cycle, LEA_B2, selpa_b, 0),
    )
    await draw_cycle_samples(cycle, now)
    if status is not CycleStatus.DRAFT:
        await Cycle.filter(id=cycle.id).update(status=status)
        await cycle.refresh_from_db()
    for m in (world.lea_a1, world.lea_a2, world.lea_b1, world.lea_b2):
        await m.refresh_from_db()
    world.codes["CDE_ADMIN"] = (await issue_code(SECRET, Role.CDE_ADMIN, now)).code
    world.codes["CDE_ANALYST"] = (await issue_code(SECRET, Role.CDE_ANALYST, now)).code
    for key, selpa in (("SELPA_A", selpa_a), ("SELPA_B", selpa_b)):
        world.codes[key] = (
            await issue_code(SECRET, Role.SELPA, now, cycle=cycle, selpa=selpa)
        ).code
    for key, cds in (("LEA_A1", LEA_A1), ("LEA_A2", LEA_A2), ("LEA_B1", LEA_B1)):
        lea = await Lea.get(cds_code=cds)
        world.codes[key] = (await issue_code(SECRET, Role.LEA, now, cycle=cycle, lea=lea)).code
    return world


async def left_to_the_view(*_: object) -> bool:
    """In place of ``GraphQLView.answer_operation``: every request goes through strawberry's
    own ``run`` (the generic HTTP path the direct answer is compared with)."""
    return False


def app_with(clock: FakeClock, **env: str) -> Starlette:
    """An application with the test secret and these settings (environment variable names)."""
    settings = load_settings({"IEPIMP_SECRET_KEY": SECRET, **env})
    return create_app(settings, clock=clock, manage_database=False)
