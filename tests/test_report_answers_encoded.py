"""Stored report answers are kept as JSON bytes: the HTTP view embeds them as they are, any
other caller gets a decoded copy of its own."""

from __future__ import annotations

import httpx
import orjson
import pytest
from starlette.applications import Starlette

from kernel.settings import SettingsError, load_settings
from models.shared.enums import Role
from resolvers.shared.principal import Principal
from schema.build import build_schema
from schema.engine import report_answers
from schema.shared.context import Context
from tests.support.clients import GraphQLClient
from tests.support.factories import SECRET, FakeClock, World

REPORT = 'query { report(cycle: "2024-25", groupBy: LEA) { key label students { total } } }'


async def _raw(app: Starlette, token: str | None) -> bytes:
    transport = httpx.ASGITransport(app=app)
    headers = {"authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(transport=transport, base_url="http://t", headers=headers) as c:
        response = await c.post("/graphql", json={"query": REPORT})
    assert response.status_code == 200
    return response.content


async def test_a_stored_answer_goes_out_without_being_encoded_again(
    app: Starlette, world: World, cde_admin: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a report answered once, so its answer is stored
    first = await _raw(app, cde_admin.token)
    encodings: list[object] = []
    real_dumps = orjson.dumps

    def counting_dumps(data: object, *args: object, **kw: object) -> bytes:
        encodings.append(data)
        return real_dumps(data, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(report_answers.orjson, "dumps", counting_dumps)
    # when it is asked for again
    second = await _raw(app, cde_admin.token)
    # then the response holds the very same bytes, and only the envelope was encoded
    assert second == first
    assert len(encodings) == 1 and isinstance(encodings[0], dict)
    assert isinstance(encodings[0]["data"], orjson.Fragment)


async def test_callers_outside_http_get_a_copy_they_cannot_spoil(
    world: World, clock: FakeClock
) -> None:
    # given the schema with its store, called directly (as the portal's pages do)
    settings = load_settings({"IEPIMP_SECRET_KEY": SECRET})
    schema = build_schema(settings)
    admin = Principal(role=Role.CDE_ADMIN, access_code_id=0)

    async def read() -> dict[str, object]:
        context = Context(settings=settings, clock=clock, principal=admin)
        result = await schema.execute(REPORT, context_value=context)
        assert not result.errors and isinstance(result.data, dict)
        return result.data

    fresh = await read()
    # when a caller changes the answer it was handed from the store
    stored = await read()
    stored["report"] = []
    # then the next caller still gets the whole answer, decoded
    again = await read()
    assert again == fresh and again["report"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"IEPIMP_REPORT_CACHE_VALUES": "500000"}, "IEPIMP_REPORT_CACHE_VALUES is no longer read"),
        ({"IEPIMP_REPORT_CACHE_BYTES": "0"}, "IEPIMP_REPORT_CACHE_BYTES"),
        ({"IEPIMP_REPORT_CACHE_BYTES": "lots"}, "IEPIMP_REPORT_CACHE_BYTES"),
    ],
)
def test_the_store_bound_is_set_in_bytes(env: dict[str, str], message: str) -> None:
    # given a retired or a bad setting, when the settings load, then they name it
    with pytest.raises(SettingsError, match=message):
        load_settings({"IEPIMP_SECRET_KEY": SECRET, **env})
