"""Once a cycle's id is known, a report names its cycle inside its own statement: the same rows
as looking the cycle up first, and no rows (so a lookup after all) whenever that id is no
longer the name's, the caller may not see the cycle, or there is nothing to group."""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise import connections

from models import Cycle, LeaCycle
from models.shared.enums import ReportGrouping, Role, SubmissionStatus
from resolvers.reports import aggregate as reports
from resolvers.reports import live_report
from resolvers.reports.aggregate import DEFAULT_STATUSES, aggregate, named_report_sql
from resolvers.reports.live_report import report
from resolvers.shared.principal import Principal
from tests.support.factories import LEA_A1, SELPA_A, World, make_cycle
from tests.support.sqlcount import count_sql
from tests.test_reports import scenario  # noqa: F401 - the fixture: statuses, minutes, extension

CYCLE = "2024-25"
EITHER = (SubmissionStatus.APPROVED, SubmissionStatus.SUBMITTED)


def principals(world: World) -> dict[str, Principal]:
    cycle = world.cycle.id
    return {
        "CDE": Principal(role=Role.CDE_ADMIN, access_code_id=0),
        "SELPA": Principal(
            role=Role.SELPA,
            access_code_id=0,
            cycle_id=cycle,
            selpa_id=world.selpa_a.id,
            scope_code=SELPA_A,
        ),
        "LEA": Principal(
            role=Role.LEA,
            access_code_id=0,
            cycle_id=cycle,
            lea_id=world.lea_a1.lea_id,  # type: ignore[attr-defined]
            scope_code=LEA_A1,
        ),
    }


async def named_rows(
    principal: Principal,
    name: str,
    cycle_id: int,
    grouping: ReportGrouping,
    statuses: tuple[SubmissionStatus, ...] = DEFAULT_STATUSES,
) -> list[object]:
    connection = connections.get("default")
    dialect = connection.capabilities.dialect
    sql, values = named_report_sql(dialect, principal, name, cycle_id, [grouping], statuses)
    _, rows = await connection.execute_query(sql, values)
    return [reports.figures(row) for row in rows]


async def test_the_named_statement_answers_as_the_lookup_does(scenario: World) -> None:  # noqa: F811
    # given submissions in every status, on both sides of a due minute, and an extension
    for who, principal in principals(scenario).items():
        for grouping in ReportGrouping:
            for statuses in (DEFAULT_STATUSES, EITHER):
                # when the rows are read with the cycle named, and after looking it up
                expected = await aggregate(principal, scenario.cycle, [grouping], statuses)
                named = await named_rows(principal, CYCLE, scenario.cycle.id, grouping, statuses)
                # then they are the same rows
                assert expected and named == expected, (who, grouping, statuses)


async def test_a_known_cycle_costs_the_report_one_statement(scenario: World) -> None:  # noqa: F811
    # given a cycle whose id no report has learnt yet
    live_report._CYCLE_IDS.clear()
    cde = principals(scenario)["CDE"]
    # when its report is read twice
    with count_sql() as first:
        looked_up = list(await report(cde, CYCLE, ReportGrouping.COUNTY, None))
    with count_sql() as second:
        named = list(await report(cde, CYCLE, ReportGrouping.COUNTY, None))
    # then the first looked the cycle up, the second named it in its one statement
    assert named == looked_up and named
    assert (len(first), len(second)) == (2, 1)


async def test_a_stale_id_a_renamed_or_an_unseen_cycle_falls_back_to_the_lookup(
    scenario: World,  # noqa: F811
) -> None:
    # given another cycle, and each principal's report of this one
    other = await make_cycle("2025-26")
    every = principals(scenario)
    truth = {
        who: list(await report(p, CYCLE, ReportGrouping.SELPA, None)) for who, p in every.items()
    }
    # when the name is believed to be the other cycle's, each report is still this cycle's
    for who, principal in every.items():
        live_report._CYCLE_IDS[CYCLE] = other.id
        assert list(await report(principal, CYCLE, ReportGrouping.SELPA, None)) == truth[who], who
        assert live_report._CYCLE_IDS[CYCLE] == scenario.cycle.id
    # when a SELPA asks for the other cycle, whose id is known, it sees nothing of it
    live_report._CYCLE_IDS["2025-26"] = other.id
    assert list(await report(every["SELPA"], "2025-26", ReportGrouping.STATE, None)) == []
    assert await named_rows(every["SELPA"], "2025-26", other.id, ReportGrouping.STATE) == []
    # when the cycle is renamed, its old name has no report and its new name has its report
    await Cycle.filter(id=scenario.cycle.id).update(name="2099-00")
    assert list(await report(every["CDE"], CYCLE, ReportGrouping.SELPA, None)) == []
    assert list(await report(every["CDE"], "2099-00", ReportGrouping.SELPA, None)) == truth["CDE"]


async def test_the_due_time_is_read_by_the_same_statement(scenario: World) -> None:  # noqa: F811
    # given a cycle whose id is known, with A1 submitted a second before the due minute ended
    cde = principals(scenario)["CDE"]
    before = list(await report(cde, CYCLE, ReportGrouping.STATE, None))
    # when the cycle's due time moves an hour earlier
    earlier = datetime(2025, 7, 1, 5, 59, tzinfo=UTC)
    await Cycle.filter(id=scenario.cycle.id).update(due_at=earlier)
    after = list(await report(cde, CYCLE, ReportGrouping.STATE, None))
    # then A1 is late, as the lookup's statement also says
    assert after[0].on_time == before[0].on_time - 1
    cycle = await Cycle.get(id=scenario.cycle.id)
    assert after == await aggregate(cde, cycle, [ReportGrouping.STATE], DEFAULT_STATUSES)


async def test_no_membership_in_scope_still_gives_the_state_row(scenario: World) -> None:  # noqa: F811
    # given an LEA whose membership is no longer active, and its cycle's id known
    lea = principals(scenario)["LEA"]
    await report(lea, CYCLE, ReportGrouping.STATE, None)
    await LeaCycle.filter(id=scenario.lea_a1.id).update(active=False)
    # when it reads the state row; then it is the row of zeros the lookup gives
    zeros = list(await report(lea, CYCLE, ReportGrouping.STATE, None))
    assert zeros == await aggregate(lea, scenario.cycle, [ReportGrouping.STATE], DEFAULT_STATUSES)
    assert len(zeros) == 1 and zeros[0].required == 0
