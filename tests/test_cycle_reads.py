"""The list of cycles is read by one fixed statement, not through model objects: every field
answers as the one-cycle lookup (read through the ORM) does, for every caller."""

from __future__ import annotations

import pytest

from models.shared.enums import CycleStatus
from resolvers.cycles.cycle_reads import visible_cycles
from resolvers.shared import scope
from schema.cycles.types import COLUMNS
from tests.support.clients import GraphQLClient
from tests.support.factories import FakeClock, World, app_with, make_cycle

FIELDS = """name status windowStart windowEnd dueAt maxSample sampleBands certificationText
  selpaCertificationText reminderDays resubmissionGraceDays"""


@pytest.mark.parametrize("role", ["CDE_ADMIN", "CDE_ANALYST", "SELPA_A", "LEA_A1", None])
async def test_each_listed_cycle_answers_as_its_lookup_does(
    world: World, clock: FakeClock, role: str | None
) -> None:
    # given two cycles, and a caller of each kind
    await make_cycle("2025-26", status=CycleStatus.OPEN, reminder_days=[21, 3])
    client = GraphQLClient(app_with(clock))
    if role is not None:
        await client.login(world.codes[role])
    seed = " samplingSeed" if role == "CDE_ADMIN" else ""
    # when the caller lists the cycles and looks each one up by name
    listed = await client.execute(f"{{ cycles {{ {FIELDS}{seed} }} }}")
    looked_up = []
    for cycle in listed.body["data"]["cycles"]:
        one = await client.execute(
            f"query One($name: String!) {{ cycle(name: $name) {{ {FIELDS}{seed} }} }}",
            name=cycle["name"],
        )
        looked_up.append(one.body["data"]["cycle"])
    # then the list holds the caller's cycles, newest first, each exactly as looked up
    names = [cycle["name"] for cycle in listed.body["data"]["cycles"]]
    assert names == (
        ["2025-26", "2024-25"] if role in (None, "CDE_ADMIN", "CDE_ANALYST") else ["2024-25"]
    )
    assert listed.body["data"]["cycles"] == looked_up
    assert "errors" not in listed.body


async def test_the_seed_in_the_list_stays_cde_admin_only(world: World, clock: FakeClock) -> None:
    # given an analyst
    client = GraphQLClient(app_with(clock))
    await client.login(world.codes["CDE_ANALYST"])
    # when the analyst lists the cycles with their seeds
    response = await client.execute("{ cycles { name samplingSeed } }")
    # then the seed is refused
    assert response.codes == ["FORBIDDEN"]


async def test_the_read_gives_what_the_orm_gives(world: World) -> None:
    # given two cycles
    await make_cycle("2025-26", status=CycleStatus.OPEN)
    # when an anonymous caller's cycles are read by the statement and through the ORM
    read = await visible_cycles(None, COLUMNS)
    rows = await scope.cycles(None).order_by("-name")
    # then every value is the same, of the same type
    expected = [{column: getattr(row, column) for column in COLUMNS} for row in rows]
    assert read == expected
    for got, want in zip(read, expected, strict=True):
        assert [type(v) for v in got.values()] == [type(v) for v in want.values()]
