"""A request is bounded by its query cost, not a fixed page size: a CDE tool lists every LEA of
a cycle in one request, a request over the budget is refused with QUERY_LIMIT before anything
runs, and every answer carries its cost (README "Query cost")."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import (
    get_introspection_query,
    get_named_type,
    get_nullable_type,
    is_composite_type,
    is_list_type,
    parse,
)
from starlette.applications import Starlette

from kernel.clock import system_clock
from kernel.errors import InvalidInput
from kernel.settings import SettingsError, load_settings
from models.shared.enums import Role
from resolvers.access.issue_access_code import issue_code
from schema.build import build_schema
from schema.engine.identity_memo import IdentityMemo
from schema.engine.query_cost import GROUPED_LISTS, LIST_ESTIMATES, query_cost
from schema.shared.context import Context
from tests.support.clients import GraphQLClient, GraphQLResponse
from tests.support.factories import BEFORE_DUE, SECRET, FakeClock, World, app_with, make_lea
from tests.support.sqlcount import count_sql

LEAS = """
query($first: Int) {
  leas(cycle: "2024-25", first: $first) {
    edges { node { cdsCode name selpa { code name } dueAt
      submission { status countA countB countC version submittedAt reviewedAt } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
"""The CDE tool's listing: per LEA an edge, its node, its SELPA and its submission."""
NESTED = """
{ leas(cycle: "2024-25", first: 2300) {
    edges { node { sampledStudents(first: 500) { edges { node { ssid } } } } } } }
"""
SCHEMA = build_schema()._schema


def cost(query: str, **variables: Any) -> int:
    return query_cost(SCHEMA, parse(query), None, variables)


async def thirty_leas(world: World) -> None:
    for i in range(26):
        await make_lea(world.cycle, f"3000000000{i:04d}", world.selpa_a, 0)


async def signed_in(app: Starlette, role: Role = Role.CDE_ADMIN) -> GraphQLClient:
    client = GraphQLClient(app)
    await client.login((await issue_code(SECRET, role, BEFORE_DUE)).code)
    assert client.token
    return client


def refusal(result: GraphQLResponse) -> dict[str, Any]:
    assert result.body["data"] is None and len(result.errors) == 1, result.body
    return dict(result.errors[0]["extensions"])


# The arithmetic, on the schema alone


def test_the_cde_listing_of_every_lea_costs_four_per_lea() -> None:
    # when the CDE tool's listing asks for 2,300 LEAs
    requested = cost(LEAS, first=2300)
    # then it costs the connection, 2,300 × (edge, node, SELPA, submission) and pageInfo
    assert requested == 1 + 2300 * 4 + 1 == 9202


def test_an_omitted_first_counts_as_the_page_size_used() -> None:
    # given the listing without first, and the worksheet rows without first
    rows = '{ lea(cycle: "c", cdsCode: "x") { worksheet { rows { ssid } } } }'
    # when they are costed
    # then a connection counts 100 items, the worksheet 500 rows
    assert cost(LEAS) == 1 + 100 * 4 + 1
    assert cost(rows) == 1 + 1 + 500


def test_a_variable_s_default_is_counted_when_it_is_not_sent() -> None:
    # given first taken from a variable whose default is 5,000
    query = LEAS.replace("$first: Int", "$first: Int = 5000")
    # when no value is sent, or one is
    # then the default counts, else the value sent
    assert cost(query) == 1 + 5000 * 4 + 1
    assert cost(query, first=3) == 1 + 3 * 4 + 1


def test_fragments_count_at_every_spread_with_their_connection_s_first() -> None:
    # given one fragment over a connection's edges, spread into two connections
    query = """
    { a: leas(cycle: "c", first: 7) { ...Listed }
      b: leas(cycle: "c", first: 9) { ... on LeaConnection { ...Listed } } }
    fragment Listed on LeaConnection { edges { node { selpa { code } } } }
    """
    # when it is costed
    # then each spread counts with the page of the connection it is in
    assert cost(query) == (1 + 7 * 3) + (1 + 9 * 3)


def test_skip_and_include_count_as_included() -> None:
    # given a nested connection guarded by @include(if: false) and @skip(if: true)
    query = """
    query($no: Boolean = false) { leas(cycle: "c", first: 10) { edges { node {
      a: sampledStudents(first: 10) @include(if: $no) { edges { node { ssid } } }
      b: sampledStudents(first: 10) @skip(if: true) { edges { node { ssid } } } } } } }
    """
    # when it is costed
    # then both count: 10 LEAs × (edge + node + 2 × (connection + 10 × (edge + node)))
    assert cost(query) == 1 + 10 * (2 + 2 * (1 + 10 * 2))


def test_reports_count_their_rows_by_grouping() -> None:
    # given the report by STATE, by LEA, and by a grouping the request leaves to a variable
    query = '{ report(cycle: "c", groupBy: GROUP) { leaCounts { draft } } }'
    unset = 'query($g: ReportGrouping!) { report(cycle: "c", groupBy: $g) { leaCounts { draft } } }'
    # when they are costed
    # then one row, 2,300 rows, and 2,300 unless the variable says less
    assert cost(query.replace("GROUP", "STATE")) == 1 * 2
    assert cost(query.replace("GROUP", "LEA")) == 2300 * 2
    assert cost(unset) == 2300 * 2
    assert cost(unset, g="COUNTY") == 58 * 2


def test_every_list_of_objects_is_bounded_by_first_or_a_written_estimate() -> None:
    # given the estimates the cost uses for lists without first
    unbounded = []
    # when every object type's list fields are looked at
    for type_name, named in SCHEMA.type_map.items():
        for field_name, field in getattr(named, "fields", {}).items():
            listed = is_list_type(get_nullable_type(field.type))
            objects = is_composite_type(get_named_type(field.type))
            known = (type_name, field_name) in {*LIST_ESTIMATES, *GROUPED_LISTS}
            in_connection = type_name.endswith("Connection") and field_name == "edges"
            if (
                listed
                and objects
                and "first" not in field.args
                and not type_name.startswith("__")
                and not (known or in_connection or field_name == "userErrors")
            ):
                unbounded.append(f"{type_name}.{field_name}")
    # then none falls back to the default guess
    assert unbounded == []


def test_first_out_of_bounds_is_invalid_input_before_any_cost() -> None:
    # when first is below 1 or above 10,000
    # then the cost is not worked out: the request is invalid input naming first
    for value in (0, -1, 10_001, 10**30):
        with pytest.raises(InvalidInput) as error:
            cost(LEAS, first=value)
        assert error.value.extensions == {
            "code": "INVALID_INPUT",
            "field": "first",
            "fieldPath": ["first"],
        }


# Over HTTP


async def test_every_lea_of_a_cycle_comes_in_one_request(
    world: World, cde_admin: GraphQLClient
) -> None:
    # given 30 LEAs in the cycle and the default budget
    await thirty_leas(world)
    # when the CDE admin lists up to 2,300 of them in one request
    result = await cde_admin.execute(LEAS, first=2300)
    # then all 30 come back, no page follows, and the answer carries its cost
    assert result.errors == []
    assert len(result.data["leas"]["edges"]) == 30
    assert result.data["leas"]["pageInfo"]["hasNextPage"] is False
    assert result.body["extensions"] == {
        "cost": {"requested": 9202, "budget": 25_000, "remaining": 25_000 - 9202}
    }


async def test_a_budget_set_low_shows_the_arithmetic_exactly(
    world: World, clock: FakeClock
) -> None:
    # given 30 LEAs, and budgets of exactly the listing's cost and one less
    await thirty_leas(world)
    exact = await signed_in(app_with(clock, IEPIMP_QUERY_COST_BUDGET="122"))
    short = await signed_in(app_with(clock, IEPIMP_QUERY_COST_BUDGET="121"))
    # when each lists the 30 LEAs (1 + 30 × 4 + 1 = 122)
    fits = await exact.execute(LEAS, first=30)
    over = await short.execute(LEAS, first=30)
    # then the first answers with nothing to spare, the second is refused naming both numbers
    assert len(fits.data["leas"]["edges"]) == 30
    assert fits.body["extensions"]["cost"] == {"requested": 122, "budget": 122, "remaining": 0}
    assert refusal(over) == {"code": "QUERY_LIMIT", "cost": 122, "budget": 121}
    assert over.errors[0]["message"] == (
        "This request would cost 122; the budget is 121 per request."
    )


async def test_nested_connections_over_budget_are_refused_with_nothing_run(
    world: World, cde_admin: GraphQLClient
) -> None:
    # given every LEA's sampled students, 500 each, for 2,300 LEAs
    # when the CDE admin asks, counting the SQL statements the request runs
    with count_sql() as statements:
        result = await cde_admin.execute(NESTED)
    # then it is refused with its cost, and not even the token was looked up
    assert result.status == 200
    assert refusal(result) == {"code": "QUERY_LIMIT", "cost": 2_306_901, "budget": 25_000}
    assert statements == []


async def test_first_beyond_the_bound_is_invalid_input_naming_first(
    world: World, cde_admin: GraphQLClient
) -> None:
    # when first is over 10,000 as a literal, as a variable, or below 1
    with count_sql() as statements:
        literal = await cde_admin.execute('{ leas(cycle: "2024-25", first: 10001) { totalCount } }')
        variable = await cde_admin.execute(LEAS, first=1_000_000)
        zero = await cde_admin.execute(LEAS, first=0)
    # then each is INVALID_INPUT naming first, before anything runs
    for result in (literal, variable, zero):
        assert refusal(result) == {"code": "INVALID_INPUT", "field": "first"}
    assert "between 1 and 10000" in literal.errors[0]["message"]
    assert statements == []


async def test_aliases_multiply_a_connection_past_the_budget(
    world: World, cde_admin: GraphQLClient
) -> None:
    # given the most aliases allowed (15), each a listing of 500 LEAs (cost 2,001 each)
    fields = " ".join(f'a{i}: leas(cycle: "2024-25", first: 500) {{ ...L }}' for i in range(15))
    listing = (
        "fragment L on LeaConnection { edges { node { selpa { code } submission { status } } } }"
    )
    # when it is posted
    result = await cde_admin.execute("{ %s } %s" % (fields, listing))
    # then together they are over the budget
    assert refusal(result) == {"code": "QUERY_LIMIT", "cost": 15 * (1 + 500 * 4), "budget": 25_000}


async def test_fragments_cannot_hide_a_connection(world: World, cde_admin: GraphQLClient) -> None:
    # given a cheap-looking operation whose fragment spreads the nested students three times
    query = """
    { leas(cycle: "2024-25", first: 100) { ...A } }
    fragment A on LeaConnection { edges { node { ...S ...S ...S } } }
    fragment S on Lea { sampledStudents(first: 100) { edges { node { ssid } } } }
    """
    # when it is posted
    result = await cde_admin.execute(query)
    # then every spread counts
    assert refusal(result)["cost"] == 1 + 100 * (2 + 3 * (1 + 100 * 2))


async def test_batched_operations_share_one_budget(world: World, clock: FakeClock) -> None:
    # given batching on, a budget of 200, and two listings costing 122 each
    app = app_with(clock, IEPIMP_MAX_OPERATIONS_PER_REQUEST="3", IEPIMP_QUERY_COST_BUDGET="200")
    client = await signed_in(app)
    await thirty_leas(world)
    one = {"query": LEAS, "variables": {"first": 30}}
    small = {"query": LEAS, "variables": {"first": 10}}
    # when the two are batched, and then one with a cheaper one (42)
    with count_sql() as statements:
        over = await client.post([one, one])
    refused_sql = list(statements)
    within = await client.post([one, small])
    # then the pair over 200 is refused as a whole before anything runs
    assert over.body["errors"][0]["extensions"] == {
        "code": "QUERY_LIMIT",
        "cost": 244,
        "budget": 200,
    }
    assert refused_sql == []
    # and within it each answer names its own cost and what the request leaves
    answers = within.body
    assert [a["extensions"]["cost"] for a in answers] == [
        {"requested": 122, "budget": 200, "remaining": 200 - 164},
        {"requested": 42, "budget": 200, "remaining": 200 - 164},
    ]


async def test_graphiql_introspection_costs_one(world: World, clock: FakeClock) -> None:
    # given a development server with a budget of 1
    client = GraphQLClient(app_with(clock, IEPIMP_QUERY_COST_BUDGET="1"))
    # when GraphiQL's introspection query is posted
    result = await client.execute(get_introspection_query(descriptions=True))
    # then the schema comes back within the budget
    assert result.errors == []
    assert result.body["extensions"]["cost"] == {"requested": 1, "budget": 1, "remaining": 0}


async def test_callers_past_the_http_limiter_are_held_to_the_budget(world: World) -> None:
    # given the schema run directly (as the portal does), with a budget of 10
    settings = load_settings({"IEPIMP_SECRET_KEY": SECRET, "IEPIMP_QUERY_COST_BUDGET": "10"})
    schema = build_schema(settings)
    context = Context(settings=settings, clock=system_clock)
    # when the cycles (estimated at 50), the public report by LEA and a first of 0 are asked for
    with count_sql() as statements:
        over = await schema.execute("{ cycles { name } }", context_value=context)
        public = await schema.execute(
            '{ publicReport(cycle: "2024-25", groupBy: LEA) { key } }', context_value=context
        )
        zero = await schema.execute(
            '{ leas(cycle: "2024-25", first: 0) { totalCount } }', context_value=context
        )
    # then both are refused before any resolver reads the database
    assert over.data is None and over.errors
    assert over.errors[0].extensions == {"code": "QUERY_LIMIT", "cost": 50, "budget": 10}
    assert public.errors and public.errors[0].extensions
    assert public.errors[0].extensions["cost"] == 2300
    assert zero.errors and zero.errors[0].extensions
    assert zero.errors[0].extensions["code"] == "INVALID_INPUT"
    assert statements == []


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"IEPIMP_QUERY_COST_BUDGET": "0"}, "IEPIMP_QUERY_COST_BUDGET must be between 1 and"),
        ({"IEPIMP_QUERY_COST_BUDGET": "lots"}, "IEPIMP_QUERY_COST_BUDGET must be a whole number"),
        ({"IEPIMP_MAX_PAGE_SIZE": "500"}, "IEPIMP_MAX_PAGE_SIZE is no longer read"),
    ],
)
def test_bad_budget_settings_stop_the_start(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings({"IEPIMP_SECRET_KEY": SECRET, **env})


@pytest.fixture
def engine_costings(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The operation name of each cost the engine works out apart from the HTTP limiter's."""
    import schema.engine.query_cost as engine_cost

    calls: list[str | None] = []
    real = engine_cost.query_cost

    def counted(*args: Any) -> int:
        calls.append(args[2])
        return real(*args)

    monkeypatch.setattr(engine_cost, "query_cost", counted)
    return calls


async def test_a_lone_operation_is_costed_once(
    world: World, clock: FakeClock, engine_costings: list[str | None]
) -> None:
    # given the cost worked out by the engine counted apart from the HTTP limiter's
    calls = engine_costings
    client = await signed_in(app_with(clock, IEPIMP_MAX_OPERATIONS_PER_REQUEST="2"))
    # when one operation is posted, then a batch of two
    lone = await client.post({"query": LEAS, "variables": {"first": 30}})
    batch = await client.post(
        [{"query": LEAS, "variables": {"first": 30}}, {"query": LEAS, "variables": {"first": 10}}]
    )
    # then the lone operation reuses the limiter's cost, each batched one is costed by itself
    assert lone.body["extensions"]["cost"] == {
        "requested": 122,
        "budget": 25000,
        "remaining": 24878,
    }
    assert [a["extensions"]["cost"]["requested"] for a in batch.body] == [122, 42]
    assert calls == [None, None]


async def test_a_named_operation_sent_without_its_name_is_costed_once(
    world: World, clock: FakeClock, engine_costings: list[str | None]
) -> None:
    # given the cost worked out by the engine counted apart from the HTTP limiter's
    calls = engine_costings
    client = await signed_in(app_with(clock))
    # when a document with one named operation is posted without an operationName, and
    # then with it
    named = LEAS.replace("query(", "query Overview(")
    unnamed = await client.post({"query": named, "variables": {"first": 30}})
    given = await client.post(
        {"query": named, "operationName": "Overview", "variables": {"first": 30}}
    )
    # then both answer the same cost, and the engine costed neither again
    assert unnamed.body["extensions"]["cost"] == given.body["extensions"]["cost"]
    assert unnamed.body["extensions"]["cost"]["requested"] == 122
    assert calls == []


@pytest.fixture
def walks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Each costing that walks a document, counted."""
    import schema.engine.query_cost as engine_cost

    counted: list[int] = []
    real = engine_cost._Walk.total

    def total(self: Any) -> int:
        counted.append(1)
        return int(real(self))

    monkeypatch.setattr(engine_cost._Walk, "total", total)
    monkeypatch.setattr(engine_cost, "_costs", IdentityMemo(engine_cost.KEPT_COSTS))
    monkeypatch.setattr(engine_cost, "_read_of", IdentityMemo(engine_cost.KEPT_COSTS))
    return counted


def test_a_cost_that_reads_no_variable_is_kept_for_its_document(walks: list[int]) -> None:
    # given one parsed document whose cost reads no variable, and one whose cost reads first
    fixed = parse(LEAS.replace("first: $first", "first: 30"))
    variable = parse(LEAS)
    # when each is costed three times, with different variables
    fixed_costs = [query_cost(SCHEMA, fixed, None, {"first": n}) for n in (1, 2, 3)]
    variable_costs = [query_cost(SCHEMA, variable, None, {"first": n}) for n in (1, 2, 3)]
    # then the first was walked once and answers the same; the second follows its variable
    assert fixed_costs == [1 + 30 * 4 + 1] * 3
    assert variable_costs == [1 + n * 4 + 1 for n in (1, 2, 3)]
    assert len(walks) == 1 + 3


def test_a_cost_is_kept_by_what_it_made_of_the_variables_it_read(walks: list[int]) -> None:
    # given one parsed document whose cost reads $first, and other variables beside it
    variable = parse(LEAS)
    # when it is costed with the same first and other variables changed, with first absent
    # (its default), and with 1 and 1.0 (the same integer), true and a list (which the engine
    # refuses later, and the cost reads as no integer)
    asked: list[dict[str, Any]] = [
        {"first": 2, "cycle": "a"},
        {"first": 2, "cycle": "b", "after": "x"},
        {"cycle": "a"},
        {"cycle": "b"},
        {"first": 1},
        {"first": 1.0},
        {"first": True},
        {"first": [1]},
        {"first": None},
    ]
    costs = [query_cost(SCHEMA, variable, None, values) for values in asked]
    walked = len(walks)
    # then each distinct reading was walked once, and every answer is what a fresh walk gives
    fresh = [query_cost(SCHEMA, parse(LEAS), None, values) for values in asked]
    assert costs == fresh
    assert costs[:2] == [1 + 2 * 4 + 1] * 2 and costs[2] == costs[3]
    assert walked == 4


SHAPES = """
query Paged($first: Int = 7) { ...page }
query Grouped($g: ReportGrouping!, $first: Int) {
  report(cycle: "2024-25", groupBy: $g) { key students { shareA { percent } } }
  leas(cycle: "2024-25", first: $first) { edges { node { cdsCode } } }
}
fragment page on Query { leas(cycle: "2024-25", first: $first) { edges { node { cdsCode } } } }
"""


def test_kept_costs_answer_what_a_fresh_walk_does_for_every_shape(walks: list[int]) -> None:
    # given a document with a default inside a fragment, a groupBy variable, and two
    # operations, costed by name and without one (both operations then count)
    document = parse(SHAPES)
    asked: list[tuple[str | None, dict[str, Any]]] = [
        (name, values)
        for name in ("Paged", "Grouped", None)
        for values in (
            {},
            {"first": None},
            {"first": 3},
            {"g": "STATE", "first": 3},
            {"g": "LEA"},
            {"g": "COUNTY", "first": 3},
            {"g": ["LEA"]},
        )
    ]
    # when each is costed twice on the same document
    first_pass = [query_cost(SCHEMA, document, name, values) for name, values in asked]
    walked = len(walks)
    second_pass = [query_cost(SCHEMA, document, name, values) for name, values in asked]
    # then every answer is a fresh walk's, and the second pass walked nothing
    assert len(walks) == walked
    fresh = [query_cost(SCHEMA, parse(SHAPES), name, values) for name, values in asked]
    assert first_pass == second_pass == fresh
    assert fresh[0] == 1 + 7 * 2 and fresh[2] == 1 + 3 * 2
    grouped = dict(zip((str(v) for _, v in asked[7:14]), fresh[7:14], strict=True))
    assert grouped[str({"g": "LEA"})] > grouped[str({"g": "COUNTY", "first": 3})]


def test_a_kept_cost_is_per_document_object_and_operation(walks: list[int]) -> None:
    # given the same text parsed twice, with two named operations
    text = '{ leas(cycle: "c", first: 2) { edges { node { cdsCode } } } }'
    named = f"query Two {text} query Ten {text.replace('first: 2', 'first: 10')}"
    one, other = parse(named), parse(named)
    # when each operation of each document is costed
    costs = [query_cost(SCHEMA, d, name, {}) for d in (one, other) for name in ("Two", "Ten")]
    again = [query_cost(SCHEMA, one, name, {}) for name in ("Two", "Ten")]
    # then each pair was walked once, and kept apart
    assert costs == [1 + 2 * 2, 1 + 10 * 2] * 2 and again == costs[:2]
    assert len(walks) == 4
