"""No input answers 500: each bad body, value or header gets a clear BAD_REQUEST or
INVALID_INPUT naming the field, and nothing is stored (SPEC §6, §10), on both databases."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from tests.support.clients import GraphQLClient, GraphQLResponse
from tests.support.factories import LEA_A1, FakeClock, World, app_with
from tests.support.snapshot import table_snapshot
from tests.support.workflow_support import SAVE, SUBMIT, SUBMITTER, save_input, submit_input

LOGIN = "mutation($c: String!) { login(accessCode: $c) { token userErrors { code } } }"


def post_json(client: httpx.AsyncClient, body: Any) -> Any:
    """Post ``body`` as ASCII JSON, so lone surrogates travel as ``\\ud800`` escapes."""
    return client.post(
        "/graphql", content=json.dumps(body).encode(), headers={"content-type": "application/json"}
    )


LEAS = '{ leas(cycle: "2024-25", after: "%s") { totalCount } }'


@pytest_asyncio.fixture
async def http(clock: FakeClock, world: World) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app_with(clock, IEPIMP_ENV="production"))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def _code_and_field(response: httpx.Response) -> tuple[str, str | None]:
    error = response.json()["errors"][0]
    return error["extensions"]["code"], error["extensions"].get("field")


@pytest.mark.parametrize(
    "body",
    [
        b'"x"',
        b"42",
        b"null",
        b"true",
        b"[]",
        b'{"query": 42}',
        b'{"query": "{ cycles { name } }", "variables": [1]}',
        b"[" * 20_000 + b"]" * 5_000,
        b'{"query": "{ cycles { name } }", "variables": {"n": 1e99999}}',
        b'{"query": "{ cycles { name } }", "variables": {"n": ' + b"9" * 5_000 + b"}}",
        b'{"query": "{ cycles { name } }", "variables": {"n": NaN}}',
    ],
    ids=[
        "string",
        "number",
        "null",
        "true",
        "empty-list",
        "query-number",
        "variables-list",
        "deep-nesting",
        "huge-float",
        "huge-int",
        "nan",
    ],
)
async def test_bodies_that_are_not_a_request_are_bad_requests(
    http: httpx.AsyncClient, body: bytes
) -> None:
    # given the database as it stands
    before = await table_snapshot()
    # when the body is posted as JSON
    response = await http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    # then 400 (or the batch refusal), a clear code, nothing changed
    assert response.status_code in (200, 400), response.text
    assert _code_and_field(response)[0] in ("BAD_REQUEST", "QUERY_LIMIT"), response.text
    assert await table_snapshot() == before


async def test_deeply_nested_variables_are_invalid_input(http: httpx.AsyncClient) -> None:
    variables = {
        "c": {
            "a": {
                "b": {
                    "c": {
                        "d": {
                            "e": {
                                "f": {
                                    "g": {
                                        "h": {
                                            "i": {
                                                "j": {
                                                    "k": {
                                                        "l": {
                                                            "m": {"n": {"o": {"p": {"q": "deep"}}}}
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    response = await http.post("/graphql", json={"query": LOGIN, "variables": variables})
    assert _code_and_field(response)[0] == "INVALID_INPUT"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("ABCD\x00EFGH-JKLM-NPQR", "control"),
        ("ABCD\ud800EFGH", "surrogate"),
        ("A" * 5_000, "characters"),
        ("ABCD\nEFGH-JKLM-NPQR", "control"),
    ],
    ids=["nul", "lone-surrogate", "over-long", "newline"],
)
async def test_bad_text_in_login_is_refused_uncounted(
    http: httpx.AsyncClient, value: str, problem: str
) -> None:
    # given the database as it stands
    before = await table_snapshot()
    # when a login carries the bad text as a variable
    response = await post_json(http, {"query": LOGIN, "variables": {"c": value}})
    # then INVALID_INPUT naming accessCode, and no attempt or audit row was written
    assert response.status_code == 200
    assert _code_and_field(response) == ("INVALID_INPUT", "c")
    assert problem in response.json()["errors"][0]["message"]
    assert await table_snapshot() == before


async def test_bad_text_in_a_literal_names_its_argument(http: httpx.AsyncClient) -> None:
    before = await table_snapshot()
    query = 'mutation { login(accessCode: "ABCD\\u0000EFGH") { token } }'
    response = await http.post("/graphql", json={"query": query})
    assert _code_and_field(response) == ("INVALID_INPUT", "accessCode")
    assert await table_snapshot() == before


@pytest.mark.parametrize(
    "email",
    [
        "pat\x00@lea.example.org",
        "pat\ud83d@lea.example.org",
        "pat@lea.example.org\n",
        "<script>x</script>@lea.example.org",
        "=HYPERLINK(1)@lea.example.org",
        "=1+2@example.org",
    ],
)
async def test_bad_submitter_emails_are_refused_and_not_stored(
    lea_a1: GraphQLClient, email: str
) -> None:
    # given a saved draft
    saved = await lea_a1.execute(SAVE, i=save_input(LEA_A1, 5, 3, 2))
    version = saved.data["saveCounts"]["submission"]["version"]
    before = await table_snapshot()
    # when it is submitted with the bad address
    given = submit_input(LEA_A1, submitter={**SUBMITTER, "email": email}, expectedVersion=version)
    async with lea_a1.http() as client:
        response = await post_json(client, {"query": SUBMIT, "variables": {"i": given}})
    result = GraphQLResponse(response.status_code, response.json())
    # then refused naming the email, top-level or as a userError, and nothing changed
    if result.errors:
        assert result.codes == ["INVALID_INPUT"], result.body
        assert result.errors[0]["extensions"]["field"] == "email"
    else:
        errors = result.data["submitSubmission"]["userErrors"]
        assert {"field": ["input", "submitter", "email"], "code": "INVALID_INPUT"} in [
            {"field": e["field"], "code": e["code"]} for e in errors
        ]
    assert await table_snapshot() == before


async def test_a_reason_may_hold_line_breaks(selpa_a: GraphQLClient, lea_a1: GraphQLClient) -> None:
    # the central text rule leaves line breaks to free-text fields
    from tests.support.workflow_support import REVIEW, review_input

    result = await selpa_a.execute(REVIEW, i=review_input(LEA_A1, "REJECT", "one\ntwo"))
    assert result.codes != ["INVALID_INPUT"], result.body


@pytest.mark.parametrize(
    "cursor",
    [
        "A" * 5_000,
        "A" * 600,
        "QUJD\\u0000",
        "=" * 300,
        base64.urlsafe_b64encode(b"lea:\x00x").decode(),
        base64.urlsafe_b64encode(("lea:" + "9" * 199 + "\ud7ff").encode()).decode(),
    ],
)
async def test_over_long_or_broken_cursors_are_invalid_input(
    lea_a1: GraphQLClient, cursor: str
) -> None:
    result = await lea_a1.execute(LEAS % cursor)
    assert result.codes == ["INVALID_INPUT"], result.body
    assert result.errors[0]["extensions"]["field"] == "after"


@pytest.mark.parametrize("value", [1e300, -(2**40), 2**31])
async def test_oversized_numbers_are_invalid_input(lea_a1: GraphQLClient, value: Any) -> None:
    before = await table_snapshot()
    result = await lea_a1.execute(SAVE, i={**save_input(LEA_A1, 1, 2, 3), "countA": value})
    assert result.codes == ["INVALID_INPUT"]
    assert result.errors[0]["extensions"]["field"] == "countA"
    assert await table_snapshot() == before


@pytest.mark.parametrize(
    "headers",
    [
        [(b"authorization", b"Bearer " + b"x" * 5000)],
        [(b"authorization", b"Basic \xe9\xe9")],
        [(b"authorization", b"Bearer \xff\xfe")],
        [(b"authorization", b"Bearer")],
        [(b"accept", b"application/graphql-response+json;q=x, */*;q=2")],
        [(b"x-forwarded-for", b"1.2.3.4, " * 500)],
        [(b"content-type", b"application/json; charset=\xff")],
        [(b"content-length", b"-5")],
    ],
    ids=[
        "long-token",
        "latin1",
        "binary-token",
        "empty-bearer",
        "bad-accept",
        "long-forwarded",
        "charset",
        "negative-length",
    ],
)
async def test_bad_headers_never_answer_500(
    http: httpx.AsyncClient, headers: list[tuple[bytes, bytes]]
) -> None:
    before = await table_snapshot()
    names = {name for name, _ in headers}
    request_headers = [(b"content-type", b"application/json")] * (b"content-type" not in names)
    request = http.build_request(
        "POST",
        "/graphql",
        content=b'{"query": "{ cycles { name } }"}',
        headers=httpx.Headers(request_headers + headers),
    )
    response = await http.send(request)
    assert response.status_code < 500, response.text
    assert "Traceback" not in response.text
    assert await table_snapshot() == before


async def test_jsonx_is_refused_in_development_too(clock: FakeClock, world: World) -> None:
    # given a development-mode app
    transport = httpx.ASGITransport(app=app_with(clock, IEPIMP_ENV="development"))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        # when a document over the alias limit comes as application/jsonx
        query = "{ " + " ".join(f"a{i}: cycles {{ name }}" for i in range(50)) + " }"
        response = await client.post(
            "/graphql",
            content=b'{"query": "%s"}' % query.encode(),
            headers={"content-type": "application/jsonx"},
        )
    # then it is refused like in production
    assert response.status_code == 415
    assert _code_and_field(response)[0] == "BAD_REQUEST"
