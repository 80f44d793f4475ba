"""The read side of the graph: LEA pages resolved with DataLoaders in constant SQL."""

from tortoise.context import TortoiseContext

from models.shared.enums import CycleStatus
from resolvers.cycles.draw_sample import draw_cycle_samples
from tests.support.clients import GraphQLClient
from tests.support.factories import make_cycle, make_lea, make_selpa
from tests.support.sqlcount import count_sql

PAGE = """
query($first: Int!, $after: String) {
  leas(cycle: "2025-26", first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { cdsCode name dueAt sampleSize county
      selpa { code name contactEmail }
      submission { status version total sampleSize events { action } } } }
  }
}
"""

OVERVIEW = """
query($first: Int!) {
  leas(cycle: "2025-26", first: $first) {
    edges { node { cdsCode name selpa { code name } dueAt
      submission { status countA countB countC version submittedAt reviewedAt } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def _cycle_with(leas: int) -> None:
    cycle = await make_cycle("2025-26", status=CycleStatus.DRAFT)
    selpas = [await make_selpa(f"{i:04d}") for i in range(1, 4)]
    for i in range(leas):
        await make_lea(cycle, f"{i + 10:02d}{i:012d}", selpas[i % 3], 3)
    await draw_cycle_samples(cycle, cycle.due_at)


async def test_page_of_leas_costs_the_same_sql_at_any_size(
    db: TortoiseContext, cde_admin: GraphQLClient
) -> None:
    # given 12 LEAs across 3 SELPAs (beside the world fixture's cycle)
    await _cycle_with(12)
    # when a page of 2 and a page of 12 are read with their SELPA and submission
    with count_sql() as small:
        two = await cde_admin.execute(PAGE, first=2)
    with count_sql() as large:
        twelve = await cde_admin.execute(PAGE, first=12)
    # then both answer in full, with the same number of statements
    assert not two.errors and not twelve.errors, (two.errors, twelve.errors)
    assert len(two.data["leas"]["edges"]) == 2
    assert len(twelve.data["leas"]["edges"]) == 12
    assert len(small) == len(large), (small, large)


async def test_cursor_pages_through_every_lea_once(
    db: TortoiseContext, cde_admin: GraphQLClient
) -> None:
    await _cycle_with(7)
    seen: list[str] = []
    after = None
    while True:
        page = await cde_admin.execute(PAGE, first=3, after=after)
        leas = page.data["leas"]
        seen += [edge["node"]["cdsCode"] for edge in leas["edges"]]
        assert leas["totalCount"] == 7
        if not leas["pageInfo"]["hasNextPage"]:
            break
        after = leas["pageInfo"]["endCursor"]
    assert seen == sorted(seen) and len(set(seen)) == 7


async def test_times_are_shown_in_pacific(db: TortoiseContext, cde_admin: GraphQLClient) -> None:
    result = await cde_admin.execute('{ cycle(name: "2024-25") { dueAt } }')
    assert result.data["cycle"]["dueAt"] == "2025-06-30T23:59:00-07:00"


async def test_page_reads_its_leas_selpas_and_due_times_in_one_statement(
    db: TortoiseContext, cde_admin: GraphQLClient
) -> None:
    # given 12 LEAs across 3 SELPAs
    await _cycle_with(12)
    # when the overview page is read with SELPA, due time and submission
    with count_sql() as statements:
        page = await cde_admin.execute(OVERVIEW, first=12)
    # then it takes four statements: the caller, the cycle, the joined page, its submissions
    assert not page.errors, page.errors
    assert len(page.data["leas"]["edges"]) == 12
    assert len(statements) == 4, statements
    tables = [s.split(" FROM ", 1)[1].split()[0].strip('"') for s in statements]
    assert tables[1:] == ["cycle", "lea_cycle", "submission"], statements
