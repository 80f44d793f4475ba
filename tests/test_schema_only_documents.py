"""Documents answered from the schema alone (``__typename``, ``__schema``, ``__type`` at the
root, through fragments too) read nothing from the database, not even the caller's token."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import pytest
from graphql import parse
from starlette.applications import Starlette

from schema.engine.report_answers import answer_key
from tests.conftest import is_postgres
from tests.support.clients import GraphQLClient
from tests.support.factories import World
from tests.support.pg_statements import pg_statements
from tests.support.sqlcount import count_sql
from web.graphql_document import Limits, check_document, schema_only

SCHEMA_ONLY = [
    "{ __typename }",
    "query Named { __typename }",
    "mutation { __typename }",
    '{ __type(name: "Query") { name } }',
    "{ __schema { queryType { name } } }",
    "{ ...Meta } fragment Meta on Query { __typename ... on Query { __typename } }",
]
NOT_SCHEMA_ONLY = [
    "{ __typename viewer { role } }",
    "{ ...Meta } fragment Meta on Query { __typename viewer { role } }",
    "{ ... on Query { viewer { role } } }",
    "{ ...Missing }",
]
LIMITS = Limits(
    max_depth=10,
    max_aliases=10,
    max_tokens=1000,
    max_document_bytes=10_000,
    max_operations=1,
    max_directives=10,
)


@contextmanager
def statements() -> Iterator[list[str]]:
    """Every statement sent, at the driver on PostgreSQL as well as through Tortoise."""
    with ExitStack() as stack:
        sent = stack.enter_context(count_sql())
        if is_postgres():
            driver = stack.enter_context(pg_statements())
            yield sent
            sent.extend(driver)
        else:
            yield sent


@pytest.mark.parametrize("query", SCHEMA_ONLY)
def test_schema_only_documents_are_recognised(query: str) -> None:
    assert schema_only(check_document(query, LIMITS))


@pytest.mark.parametrize("query", NOT_SCHEMA_ONLY)
def test_documents_with_a_field_are_not_schema_only(query: str) -> None:
    assert not schema_only(check_document(query, LIMITS))


@pytest.mark.parametrize("token", [None, "not-a-live-token"])
async def test_typename_reads_nothing(world: World, app: Starlette, token: str | None) -> None:
    # given a caller without a token, or with a dead one
    client = GraphQLClient(app, token=token)
    # when it asks for the root type's name
    with statements() as sent:
        result = await client.execute("{ __typename }")
    # then the schema answers and the database hears nothing
    assert result.data == {"__typename": "Query"} and result.errors == []
    assert sent == []


async def test_typename_by_get_reads_nothing(world: World, app: Starlette) -> None:
    # given a caller with a dead token
    client = GraphQLClient(app, token="not-a-live-token")
    # when it asks for the root type's name in a GET request
    with statements() as sent:
        async with client.http() as http:
            response = await http.get("/graphql", params={"query": "{ __typename }"})
    # then the schema answers and the database hears nothing
    assert response.status_code == 200
    assert response.json()["data"] == {"__typename": "Query"}
    assert sent == []


async def test_introspection_through_fragments_reads_nothing(
    world: World, cde_admin: GraphQLClient
) -> None:
    # given a signed-in caller
    query = (
        'query Probe { ...Root __type(name: "Viewer") { name } } '
        "fragment Root on Query { __schema { queryType { name } } }"
    )
    # when it sends a document of introspection only, partly in a fragment
    with statements() as sent:
        result = await cde_admin.execute(query)
    # then it is answered without a statement
    assert result.data == {
        "__schema": {"queryType": {"name": "Query"}},
        "__type": {"name": "Viewer"},
    }
    assert result.errors == []
    assert sent == []


async def test_a_field_beside_typename_still_identifies_the_caller(
    world: World, app: Starlette
) -> None:
    # given a dead token
    client = GraphQLClient(app, token="not-a-live-token")
    # when a field of data stands beside __typename
    result = await client.execute(
        '{ __typename lea(cycle: "2024-25", cdsCode: "10000000000001") { name } }'
    )
    # then the token is read, and refused
    assert result.codes == ["UNAUTHENTICATED"]


def test_typename_alone_is_no_report_answer() -> None:
    # given documents of __typename, and of a report beside it
    alone, beside = "{ __typename }", '{ __typename publicReport(cycle: "x") { cycle } }'
    # when their store keys are worked out
    keys = [answer_key(q, None, None, parse(q), ()) for q in (alone, beside)]
    # then only the report has one (the epoch is read for it alone)
    assert keys[0] is None and keys[1] is not None
