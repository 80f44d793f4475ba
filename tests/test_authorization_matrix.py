"""Who may see what (SPEC §4, §10): every root query field × every role × own and foreign.

The table below is the specification; the test fails when the schema gains a root field
that has no row here, so no field can ship without a decided answer for every role.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from starlette.applications import Starlette

from schema.build import build_schema
from tests.support.clients import GraphQLClient
from tests.support.factories import LEA_A1, LEA_B1, SELPA_A, SELPA_B, World

DATA, NULL, UNAUTH, FORBIDDEN, EMPTY = "data", "null", "UNAUTHENTICATED", "FORBIDDEN", "empty"
ROLES = ("anonymous", "CDE_ADMIN", "CDE_ANALYST", "SELPA_A", "SELPA_B", "LEA_A1", "LEA_B1")

# (own LEA, own SELPA, foreign LEA, foreign SELPA) per role
SCOPES = {
    "anonymous": (LEA_A1, SELPA_A, LEA_B1, SELPA_B),
    "CDE_ADMIN": (LEA_A1, SELPA_A, LEA_B1, SELPA_B),
    "CDE_ANALYST": (LEA_A1, SELPA_A, LEA_B1, SELPA_B),
    "SELPA_A": (LEA_A1, SELPA_A, LEA_B1, SELPA_B),
    "SELPA_B": (LEA_B1, SELPA_B, LEA_A1, SELPA_A),
    "LEA_A1": (LEA_A1, SELPA_A, LEA_B1, SELPA_B),
    "LEA_B1": (LEA_B1, SELPA_B, LEA_A1, SELPA_A),
}


@dataclass(frozen=True)
class Cell:
    own: str
    foreign: str


def same(outcome: str) -> Cell:
    return Cell(outcome, outcome)


TENANT = {
    "anonymous": same(UNAUTH),
    "CDE_ADMIN": same(DATA),
    "CDE_ANALYST": same(DATA),
    "SELPA_A": Cell(DATA, NULL),
    "SELPA_B": Cell(DATA, NULL),
    "LEA_A1": Cell(DATA, NULL),
    "LEA_B1": Cell(DATA, NULL),
}
LISTED = {
    "anonymous": same(UNAUTH),
    "CDE_ADMIN": same(DATA),
    "CDE_ANALYST": same(DATA),
    "SELPA_A": Cell(DATA, EMPTY),
    "SELPA_B": Cell(DATA, EMPTY),
    "LEA_A1": Cell(DATA, EMPTY),
    "LEA_B1": Cell(DATA, EMPTY),
}

# field → (query with {lea}/{selpa} placeholders, path to the answer, expectations per role)
ROOT_FIELDS: dict[str, tuple[str, tuple[str, ...], dict[str, Cell]]] = {
    "viewer": (
        "{ viewer { role } }",
        ("viewer",),
        {role: same(NULL if role == "anonymous" else DATA) for role in ROLES},
    ),
    "cycles": ("{ cycles { name status } }", ("cycles",), {role: same(DATA) for role in ROLES}),
    "cycle": (
        '{ cycle(name: "2024-25") { name dueAt } }',
        ("cycle",),
        {role: same(DATA) for role in ROLES},
    ),
    "selpa": (
        '{ selpa(cycle: "2024-25", code: "{selpa}") { code name contactEmail } }',
        ("selpa",),
        TENANT,
    ),
    "lea": ('{ lea(cycle: "2024-25", cdsCode: "{lea}") { cdsCode name } }', ("lea",), TENANT),
    "leas": (
        '{ leas(cycle: "2024-25", selpaCode: "{selpa}") { edges { node { cdsCode } } } }',
        ("leas", "edges"),
        LISTED,
    ),
    "submission": (
        '{ submission(cycle: "2024-25", cdsCode: "{lea}") { status version } }',
        ("submission",),
        TENANT,
    ),
}

CDE_STAFF = {
    role: same(UNAUTH if role == "anonymous" else DATA if role.startswith("CDE") else FORBIDDEN)
    for role in ROLES
}


def cde_staff_answer(answer: str) -> dict[str, Cell]:
    """CDE staff get ``answer``; other roles FORBIDDEN, anonymous UNAUTHENTICATED."""
    return {
        role: same(
            UNAUTH if role == "anonymous" else answer if role.startswith("CDE") else FORBIDDEN
        )
        for role in ROLES
    }


CDE_ADMIN_ONLY = {
    role: same(UNAUTH if role == "anonymous" else DATA if role == "CDE_ADMIN" else FORBIDDEN)
    for role in ROLES
}
ROOT_FIELDS.update(
    {
        "outbox": ("{ outbox(first: 5) { __typename } }", ("outbox",), CDE_STAFF),
        "outboxDepth": ("{ outboxDepth { __typename } }", ("outboxDepth",), CDE_STAFF),
        "auditEvents": ("{ auditEvents(first: 5) { __typename } }", ("auditEvents",), CDE_STAFF),
        "auditFindings": (
            '{ auditFindings(cycle: "2024-25") { cdsCode } }',
            ("auditFindings",),
            cde_staff_answer(EMPTY),
        ),
        "auditSummary": (
            '{ auditSummary(cycle: "2024-25") { audited } }',
            ("auditSummary",),
            cde_staff_answer(NULL),
        ),
        "accessCodes": (
            "{ accessCodes(first: 5) { __typename } }",
            ("accessCodes",),
            CDE_ADMIN_ONLY,
        ),
        "report": (
            '{ report(cycle: "2024-25", groupBy: LEA) { __typename } }',
            ("report",),
            {role: same(UNAUTH if role == "anonymous" else DATA) for role in ROLES},
        ),
        "publicReport": (
            '{ publicReport(cycle: "2024-25", groupBy: STATE) { __typename } }',
            ("publicReport",),
            {role: same(EMPTY) for role in ROLES},
        ),
    }
)

PII = {
    "anonymous": same(UNAUTH),
    "CDE_ADMIN": same(DATA),
    "CDE_ANALYST": same(FORBIDDEN),
    "SELPA_A": Cell(DATA, NULL),
    "SELPA_B": Cell(DATA, NULL),
    "LEA_A1": Cell(DATA, NULL),
    "LEA_B1": Cell(DATA, NULL),
}
NESTED_FIELDS: dict[str, tuple[str, tuple[str, ...], dict[str, Cell]]] = {
    "Lea.sampledStudents": (
        '{ lea(cycle: "2024-25", cdsCode: "{lea}") '
        "{ sampledStudents(first: 5) { edges { node { ssid lastName birthDate } } } } }",
        ("lea",),
        PII,
    ),
    "Lea.worksheet": (
        '{ lea(cycle: "2024-25", cdsCode: "{lea}") '
        "{ worksheet { countA countB countC missing differsFromSaved } } }",
        ("lea",),
        TENANT,
    ),
    "Lea.worksheet.rows": (
        '{ lea(cycle: "2024-25", cdsCode: "{lea}") '
        "{ worksheet { rows { ssid prescribedMinutes ratePercent category } } } }",
        ("lea",),
        PII,
    ),
    "Cycle.samplingSeed": (
        '{ cycle(name: "2024-25") { samplingSeed } }',
        ("cycle",),
        {
            role: same(
                DATA if role == "CDE_ADMIN" else UNAUTH if role == "anonymous" else FORBIDDEN
            )
            for role in ROLES
        },
    ),
}


def test_every_root_query_field_has_a_row() -> None:
    schema = build_schema()
    query_type = schema.get_type_by_name("Query")
    assert query_type is not None
    fields = {f.name for f in query_type.fields}  # type: ignore[union-attr]
    missing = {schema.config.name_converter.apply_naming_config(f) for f in fields}
    assert missing == set(ROOT_FIELDS), "decide every role's answer for new root fields"


async def _client(role: str, app: Starlette, world: World) -> GraphQLClient:
    client = GraphQLClient(app)
    if role != "anonymous":
        result = await client.login(world.codes[role])
        assert client.token, result.body
    return client


def _outcome(body: dict[str, Any], path: tuple[str, ...]) -> str:
    codes = [e.get("extensions", {}).get("code") for e in body.get("errors") or []]
    if codes:
        assert len(set(codes)) == 1, body
        return str(codes[0])
    value: Any = body["data"]
    for key in path:
        value = value[key] if value is not None else None
    if value is None:
        return NULL
    if isinstance(value, list) and not value:
        return EMPTY
    return DATA


@pytest.mark.parametrize("role", ROLES)
async def test_matrix_row_for_role(app: Starlette, world: World, role: str) -> None:
    # given a caller of `role`
    client = await _client(role, app, world)
    own_lea, own_selpa, foreign_lea, foreign_selpa = SCOPES[role]
    wrong = []
    for field, (query, path, expected) in {**ROOT_FIELDS, **NESTED_FIELDS}.items():
        for side, lea, selpa in (
            ("own", own_lea, own_selpa),
            ("foreign", foreign_lea, foreign_selpa),
        ):
            # when it asks for the field about its own or another tenant's record
            result = await client.execute(query.replace("{lea}", lea).replace("{selpa}", selpa))
            # then the answer is the one the table decides
            got = _outcome(result.body, path)
            if got != getattr(expected[role], side):
                wrong.append(f"{field} ({side}): {got}, expected {getattr(expected[role], side)}")
    assert wrong == []


@pytest.mark.parametrize("role", ["SELPA_A", "LEA_A1"])
async def test_foreign_record_answers_exactly_like_a_missing_one(
    app: Starlette, world: World, role: str
) -> None:
    client = await _client(role, app, world)
    for template in (
        '{ lea(cycle: "2024-25", cdsCode: "CDS") { cdsCode } }',
        '{ submission(cycle: "2024-25", cdsCode: "CDS") { status } }',
    ):
        foreign = await client.execute(template.replace("CDS", LEA_B1))
        missing = await client.execute(template.replace("CDS", "99999999999999"))
        assert foreign.body == missing.body
    selpa = '{ selpa(cycle: "2024-25", code: "CODE") { code } }'
    foreign = await client.execute(selpa.replace("CODE", SELPA_B))
    missing = await client.execute(selpa.replace("CODE", "9999"))
    assert foreign.body == missing.body


async def test_list_shows_only_the_callers_tenants(app: Starlette, world: World) -> None:
    expected = {
        "CDE_ADMIN": {LEA_A1, "10000000000002", LEA_B1, "20000000000002"},
        "CDE_ANALYST": {LEA_A1, "10000000000002", LEA_B1, "20000000000002"},
        "SELPA_A": {LEA_A1, "10000000000002"},
        "SELPA_B": {LEA_B1, "20000000000002"},
        "LEA_A1": {LEA_A1},
        "LEA_B1": {LEA_B1},
    }
    for role, cds_codes in expected.items():
        client = await _client(role, app, world)
        result = await client.execute('{ leas(cycle: "2024-25") { edges { node { cdsCode } } } }')
        assert {e["node"]["cdsCode"] for e in result.data["leas"]["edges"]} == cds_codes, role


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ('{ lea(cycle: "2024-25", cdsCode: "123") { name } }', "cdsCode"),
        ('{ selpa(cycle: "2024-25", code: "12a4") { name } }', "code"),
        ('{ lea(cycle: "2024", cdsCode: "10000000000001") { name } }', "cycle"),
        ('{ leas(cycle: "2024-25", first: 10001) { totalCount } }', "first"),
        ('{ leas(cycle: "2024-25", first: 0) { totalCount } }', "first"),
        ('{ leas(cycle: "2024-25", after: "not-a-cursor") { totalCount } }', "after"),
        (
            '{ lea(cycle: "2024-25", cdsCode: "10000000000001") '
            "{ sampledStudents(first: 10001) { totalCount } } }",
            "first",
        ),
    ],
)
async def test_malformed_arguments_name_the_field(
    cde_admin: GraphQLClient, query: str, field: str
) -> None:
    result = await cde_admin.execute(query)
    assert result.codes == ["INVALID_INPUT"]
    assert result.errors[0]["extensions"]["field"] == field


async def test_sampled_students_search_by_name_or_ssid(world: World, lea_a1: GraphQLClient) -> None:
    query = (
        'query($s: String) { lea(cycle: "2024-25", cdsCode: "CDS") '
        "{ sampledStudents(search: $s, first: 500) "
        "{ totalCount edges { node { ssid lastName } } } } }"
    ).replace("CDS", LEA_A1)
    everyone = (await lea_a1.execute(query)).data["lea"]["sampledStudents"]
    assert everyone["totalCount"] == 20
    first = everyone["edges"][0]["node"]
    by_ssid = (await lea_a1.execute(query, s=first["ssid"][:6])).data["lea"]["sampledStudents"]
    assert first["ssid"] in {e["node"]["ssid"] for e in by_ssid["edges"]}
    by_name = (await lea_a1.execute(query, s=first["lastName"].lower())).data["lea"][
        "sampledStudents"
    ]
    assert by_name["edges"] and all(
        e["node"]["lastName"] == first["lastName"] for e in by_name["edges"]
    )
