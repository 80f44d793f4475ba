"""``viewer``: every role signs in and sees its own role, cycle and scope."""

from tests.support.clients import GraphQLClient
from tests.support.factories import LEA_A1, SELPA_A

VIEWER = "{ viewer { role expiresAt cycle { name } selpa { code } lea { cdsCode } } }"


async def test_every_role_sees_its_own_scope(
    cde_admin: GraphQLClient,
    cde_analyst: GraphQLClient,
    selpa_a: GraphQLClient,
    lea_a1: GraphQLClient,
) -> None:
    expected = {
        "CDE_ADMIN": (cde_admin, None, None, None),
        "CDE_ANALYST": (cde_analyst, None, None, None),
        "SELPA": (selpa_a, "2024-25", SELPA_A, None),
        "LEA": (lea_a1, "2024-25", None, LEA_A1),
    }
    for role, (client, cycle, selpa, lea) in expected.items():
        viewer = (await client.execute(VIEWER)).data["viewer"]
        assert viewer["role"] == role
        assert viewer["expiresAt"].endswith(("-07:00", "-08:00"))
        assert (viewer["cycle"] or {}).get("name") == cycle
        assert (viewer["selpa"] or {}).get("code") == selpa
        assert (viewer["lea"] or {}).get("cdsCode") == lea
