"""Health probes, Prometheus metrics and request ids."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import httpx
from starlette.applications import Starlette

from kernel.telemetry import JsonFormatter
from mailers.compose import MailKind
from mailers.outbox import queue
from tests.support.clients import GraphQLClient
from tests.support.factories import FakeClock, World


def _http(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def test_health_and_readiness(app: Starlette, world: World) -> None:
    async with _http(app) as http:
        assert (await http.get("/healthz")).text == "ok"
        ready = await http.get("/readyz")
    # the test database is built from the models, not migrated: it is not ready to serve
    assert ready.status_code == 503
    assert ready.json() == {"ready": False, "reason": "migrations pending"}


async def test_metrics_count_operations_errors_and_outbox_depth(
    app: Starlette, world: World, clock: FakeClock, lea_a1: GraphQLClient
) -> None:
    # given named operations, one of them failing, and two queued messages
    await lea_a1.execute("query Overview { viewer { role } }")
    await lea_a1.execute("query Overview { viewer { role } }")
    await GraphQLClient(app).execute(
        'query Foreign { lea(cycle: "2024-25", cdsCode: "10000000000001") { name } }'
    )
    await queue(
        MailKind.APPROVED,
        event_key="metrics-test",
        recipients=["a@example.org", "b@example.org"],
        context={
            "cycle": "2024-25",
            "lea_name": "Synthetic LEA",
            "cds_code": "10000000000001",
            "selpa_name": "Synthetic SELPA",
            "selpa_code": "1001",
            "due_at": clock(),
            "reviewed_at": clock(),
        },
        now=clock(),
    )
    # when Prometheus scrapes
    async with _http(app) as http:
        response = await http.get("/metrics")
    text = response.text
    # then operations, latency, errors and outbox depth are there
    assert response.headers["content-type"].startswith("text/plain")
    assert 'iepimp_graphql_operations_total{operation="Overview",outcome="ok"} 2.0' in text
    assert 'iepimp_graphql_operations_total{operation="Foreign",outcome="error"} 1.0' in text
    assert 'iepimp_graphql_operation_seconds_count{operation="Overview"} 2.0' in text
    assert 'iepimp_graphql_errors_total{code="UNAUTHENTICATED"} 1.0' in text
    assert 'iepimp_outbox_messages{status="PENDING"} 2.0' in text
    assert 'iepimp_http_requests_total{route="graphql",status="200"}' in text


async def test_request_id_is_echoed_or_made(app: Starlette, world: World) -> None:
    async with _http(app) as http:
        given = await http.get("/healthz", headers={"x-request-id": "abc-123"})
        made = await http.get("/healthz")
        unsafe = await http.get("/healthz", headers={"x-request-id": "bad id\nwith newline"})
    assert given.headers["x-request-id"] == "abc-123"
    assert len(made.headers["x-request-id"]) == 32
    assert unsafe.headers["x-request-id"] != "bad id\nwith newline"


async def test_operation_names_do_not_grow_metrics_without_bound(
    app: Starlette, world: World, lea_a1: GraphQLClient
) -> None:
    for i in range(210):
        await lea_a1.execute(f"query Op{i} {{ viewer {{ role }} }}")
    async with _http(app) as http:
        text = (await http.get("/metrics")).text
    assert 'operation="other"' in text
    assert text.count("iepimp_graphql_operations_total{") <= 201


def test_log_lines_write_what_json_has_no_type_for_as_text() -> None:
    # given a log record with a date-time, an integer key, a huge integer and an object
    record = logging.LogRecord("iepimp", logging.INFO, __file__, 1, "event", None, None)
    record.fields = {"at": datetime(2025, 6, 30, tzinfo=UTC), 7: "seven", "n": 2**70}
    # when it is formatted, then it is one JSON object with each value as text or number
    entry = json.loads(JsonFormatter().format(record))
    assert entry["at"] == "2025-06-30 00:00:00+00:00"
    assert entry["7"] == "seven" and entry["n"] == 2**70
