from tests.clients import GraphQLClient


async def test_every_role_signs_in(
    cde_admin: GraphQLClient,
    cde_analyst: GraphQLClient,
    selpa_a: GraphQLClient,
    lea_a1: GraphQLClient,
) -> None:
    for client, role in (
        (cde_admin, "CDE_ADMIN"),
        (cde_analyst, "CDE_ANALYST"),
        (selpa_a, "SELPA"),
        (lea_a1, "LEA"),
    ):
        result = await client.execute("{ viewer { role } }")
        assert result.data["viewer"]["role"] == role
