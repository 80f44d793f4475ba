"""GraphQL over HTTP to the letter: ``graphql-http``'s server audits (npm) against the real
server, and what uvicorn in front of the service must not do (believe forwarded headers)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.live_server import ROOT, live_server

AUDIT = ROOT / "tests" / "http_audit"
INTROSPECTING = {"28B9", "2EA1"}
"""Audits whose document reads ``__type``, which production refuses."""


def _node_tools() -> None:
    if shutil.which("node") and shutil.which("npm"):
        return
    message = "node and npm are needed for the graphql-http audit"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (CI=true)")
    pytest.skip(message)


@pytest.fixture(scope="module")
def audit_tools() -> Path:
    _node_tools()
    installed = AUDIT / "node_modules" / "graphql-http" / "package.json"
    lock = AUDIT / "package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime:
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=AUDIT,
            check=True,
            timeout=300,
        )
    return AUDIT


@pytest.fixture(scope="module")
def production_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live_server(
        tmp_path_factory.mktemp("live"),
        IEPIMP_ENV="production",
        IEPIMP_LOGIN_FAILURE_LIMIT="3",
    ) as base:
        yield base


@pytest.fixture(scope="module")
def development_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live_server(tmp_path_factory.mktemp("live"), IEPIMP_ENV="development") as base:
        yield base


def _audit(tools: Path, base: str) -> dict[str, Any]:
    run = subprocess.run(
        ["node", "audit.mjs", f"{base}/graphql"],
        cwd=tools,
        capture_output=True,
        text=True,
        timeout=120,
    )
    report: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    print(f"graphql-http audits against {base}: {report['ok']} of {report['total']} ok")
    assert run.returncode == (0 if not report["failed"] else 1)
    return report


def test_graphql_http_audits_all_pass(audit_tools: Path, development_server: str) -> None:
    # when graphql-http's server audits run against the server with every feature on
    report = _audit(audit_tools, development_server)
    # then every one of them is ok
    assert report["failed"] == [], json.dumps(report["failed"], indent=1)
    assert report["total"] >= 61 and report["ok"] == report["total"]


def test_production_misses_only_what_it_turns_off(
    audit_tools: Path, production_server: str
) -> None:
    # when the audits run against production mode (no GET queries, no introspection)
    report = _audit(audit_tools, production_server)
    # then the only audits not ok are GET requests and the one that introspects
    for failure in report["failed"]:
        assert "GET" in failure["name"] or failure["id"] in INTROSPECTING, failure


def _login(base: str, forwarded: str) -> dict[str, object]:
    body = json.dumps(
        {"query": 'mutation { login(accessCode: "2222-3333-4444-5555") { token } }'}
    ).encode()
    request = urllib.request.Request(
        f"{base}/graphql",
        data=body,
        headers={"content-type": "application/json", "x-forwarded-for": forwarded},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return dict(json.loads(response.read()))


def test_uvicorn_does_not_believe_forwarded_addresses(production_server: str) -> None:
    # given no trusted proxy, a client on loopback that rotates X-Forwarded-For
    answers = [_login(production_server, f"203.0.113.{i}") for i in range(5)]
    # then its failures all count against its own address: throttled after the third
    codes = [
        [e["extensions"]["code"] for e in a.get("errors") or []]  # type: ignore[attr-defined]
        for a in answers
    ]
    assert codes[:3] == [[], [], []]
    assert codes[3:] == [["RATE_LIMITED"], ["RATE_LIMITED"]]
