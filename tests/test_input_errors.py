"""Values the GraphQL engine itself refuses still answer INVALID_INPUT naming the field."""

import pytest

from tests.support.clients import GraphQLClient
from tests.support.factories import LEA_A1

SAVE = """mutation($i: SaveCountsInput!) { saveCounts(input: $i) { userErrors { code } } }"""


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ({"countA": 99_999_999_999}, "countA"),
        ({"countB": "twelve"}, "countB"),
        ({"countC": None}, "countC"),
    ],
)
async def test_variables_that_do_not_fit_their_type(
    lea_a1: GraphQLClient, value: dict[str, object], field: str
) -> None:
    given = {"cycle": "2024-25", "cdsCode": LEA_A1, "countA": 1, "countB": 2, "countC": 3}
    given.update(value)
    result = await lea_a1.execute(SAVE, i=given)
    assert result.codes == ["INVALID_INPUT"], result.body
    assert result.errors[0]["extensions"]["field"] == field
    assert result.body.get("data") is None


async def test_literal_arguments_that_do_not_fit_their_type(lea_a1: GraphQLClient) -> None:
    result = await lea_a1.execute('{ leas(cycle: "2024-25", first: 99999999999) { totalCount } }')
    assert result.codes == ["INVALID_INPUT"]
    assert result.errors[0]["extensions"]["field"] == "first"


async def test_unknown_fields_are_validation_failures(lea_a1: GraphQLClient) -> None:
    result = await lea_a1.execute("{ cyclez { name } }")
    assert result.codes == ["GRAPHQL_VALIDATION_FAILED"]
