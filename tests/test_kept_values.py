"""A values query written once per shape reads what the ORM's own values query reads."""

from __future__ import annotations

from typing import Any

import pytest

from models import LeaCycle, SampledStudent
from models.shared.enums import Role
from resolvers.cycles.draw_sample import draw_cycle_samples
from resolvers.directory import queries
from resolvers.directory.lea_reads import MEMBERSHIP_COLUMNS
from resolvers.shared import kept_values as kept
from resolvers.shared import scope
from resolvers.shared.kept_values import kept_values, stand_in
from resolvers.shared.principal import Principal
from tests.support.factories import LEA_A1, LEA_A2, LEA_B1, LEA_B2, World


def _callers(world: World) -> dict[str, Principal]:
    cycle = world.cycle.id
    return {
        "CDE": Principal(role=Role.CDE_ADMIN, access_code_id=0),
        "SELPA A": Principal(
            role=Role.SELPA, access_code_id=0, cycle_id=cycle, selpa_id=world.selpa_a.id
        ),
        "LEA B1": Principal(
            role=Role.LEA, access_code_id=0, cycle_id=cycle, lea_id=world.lea_b1.lea_id
        ),
        "another cycle's LEA": Principal(
            role=Role.LEA, access_code_id=0, cycle_id=cycle + 1, lea_id=world.lea_b1.lea_id
        ),
    }


async def _by_the_orm(principal: Principal, cycle_id: int, cds: str) -> dict[str, Any] | None:
    query = scope.memberships(principal, cycle_id).filter(lea__cds_code=cds).limit(1)
    rows = await query.values(**MEMBERSHIP_COLUMNS)
    return rows[0] if rows else None


@pytest.mark.parametrize("caller", ["CDE", "SELPA A", "LEA B1", "another cycle's LEA"])
async def test_one_lea_is_read_as_the_orm_reads_it(world: World, caller: str) -> None:
    # given a caller, and LEAs in and out of its sight, an unknown one and a hostile code
    principal = _callers(world)[caller]
    await LeaCycle.filter(id=world.lea_a2.id).update(due_at_extension=world.cycle.due_at)
    codes = [LEA_A1, LEA_A2, LEA_B1, LEA_B2, "99999999999999", "1' OR '1'='1"]
    for cds in codes:
        # when the LEA is looked up by its kept statement
        found = await queries.find_lea_values(principal, world.cycle.id, cds)
        # then it is the row (converted values included) the ORM's own query reads, or none
        assert found == await _by_the_orm(principal, world.cycle.id, cds)


async def test_a_statement_is_written_once_for_each_shape(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a count of the statements written
    written: list[object] = []
    real = kept._written

    def counting(*args: Any) -> Any:
        written.append(args)
        return real(*args)

    monkeypatch.setattr(kept, "_written", counting)
    monkeypatch.setattr(kept, "_kept", {})
    callers = _callers(world)
    # when two callers look up every LEA, twice
    for _ in range(2):
        for caller in ("CDE", "SELPA A"):
            for cds in (LEA_A1, LEA_A2, LEA_B1, LEA_B2):
                await queries.find_lea_values(callers[caller], world.cycle.id, cds)
    # then one statement was written for each caller's scope
    assert len(written) == 2


async def test_a_value_that_does_not_stand_in_exactly_once_is_refused(world: World) -> None:
    # given a query that leaves out the value it is said to stand in for, or holds it twice
    def without() -> Any:
        return LeaCycle.filter(cycle_id=world.cycle.id).values("id")

    def twice() -> Any:
        query = LeaCycle.filter(lea__cds_code=stand_in("cds"))
        return query.filter(lea__name=stand_in("cds")).values("id")

    # when each is written, then it is refused before anything runs
    for build in (without, twice):
        with pytest.raises(ValueError, match="exactly once"):
            await kept_values(("refused", build.__name__), build, {"cds": LEA_A1})


async def _students_by_the_orm(
    principal: Principal, cycle_id: int, lea_id: int, limit: int, after: str | None
) -> list[dict[str, Any]]:
    query = scope.sampled_students(principal, cycle_id).filter(lea_id=lea_id)
    if after is not None:
        query = query.filter(ssid__gt=after)
    return await query.order_by("ssid").limit(limit).values(**queries.STUDENT_COLUMNS)


@pytest.mark.parametrize("caller", ["CDE", "SELPA A", "LEA B1", "another cycle's LEA"])
async def test_a_page_of_students_is_read_as_the_orm_reads_it(world: World, caller: str) -> None:
    # given a drawn sample, and a caller who may see some LEAs' students
    await draw_cycle_samples(world.cycle, world.cycle.due_at)
    principal = _callers(world)[caller]
    ssids = sorted(
        await SampledStudent.filter(cycle_id=world.cycle.id).values_list("ssid", flat=True)
    )
    assert ssids
    for membership in (world.lea_a1, world.lea_b1):
        for limit in (1, 3, 501):
            for after in (None, ssids[len(ssids) // 2], "9999999999", "1' OR 1=1-"):
                # when a page is read by its kept statement
                page = await queries.student_page(
                    principal,
                    world.cycle.id,
                    membership.lea_id,
                    search=None,
                    first=limit - 1,
                    after=after,
                )
                # then it holds the rows the ORM's own query reads, in order
                expected = await _students_by_the_orm(
                    principal, world.cycle.id, membership.lea_id, limit, after
                )
                assert page.rows == expected[: limit - 1]
                assert page.has_next == (len(expected) == limit)
