"""Two real server processes on one PostgreSQL database behave as one service: sessions,
throttling and the workflow live in the database, not in process memory."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.pgadmin import new_database_url, pg_admin

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.postgres_only


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[tuple[list[str], dict[str, Any]]]:
    url, name = new_database_url("iepimp_mp")
    asyncio.run(pg_admin(f'CREATE DATABASE "{name}"'))
    env = {k: v for k, v in os.environ.items() if not k.startswith("IEPIMP_")}
    env.update(
        DATABASE_URL=url,
        IEPIMP_SECRET_KEY="two-process-secret-key-0123456789abcdef",
        IEPIMP_MAIL_WORKER="false",
    )
    codes_file = tmp_path / "codes.json"
    subprocess.run(
        [sys.executable, "-m", "iepimp", "seed-demo", "--codes-out", str(codes_file)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=180,
    )
    ports = [_free_port(), _free_port()]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "iepimp", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/readyz", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.3)
        yield bases, json.loads(codes_file.read_text())
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)
        asyncio.run(pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _post(base: str, query: str, token: str | None = None, **variables: Any) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = httpx.post(
        f"{base}/graphql",
        json={"query": query, "variables": variables},
        headers=headers,
        timeout=30,
    )
    return dict(response.json())


LOGIN = "mutation($c: String!) { login(accessCode: $c) { token userErrors { code } } }"


def test_sessions_and_throttling_are_shared(servers: tuple[list[str], dict[str, Any]]) -> None:
    (a, b), codes = servers
    # a session opened on one process works on the other, and a logout on it ends it on both
    token = _post(a, LOGIN, c=codes["CDE_ADMIN"])["data"]["login"]["token"]
    assert _post(b, "{ viewer { role } }", token)["data"]["viewer"] == {"role": "CDE_ADMIN"}
    assert _post(b, "mutation { logout { ok } }", token)["data"]["logout"]["ok"] is True
    ended = _post(
        a, '{ viewer { role } lea(cycle: "2024-25", cdsCode: "19647330000000") { name } }', token
    )
    assert [e["extensions"]["code"] for e in ended["errors"]] == ["UNAUTHENTICATED"]
    # failures alternate between the processes and still add up to one limit
    for i in range(10):
        result = _post((a, b)[i % 2], LOGIN, c="2222-2222-2222-2222")
        assert result["data"]["login"]["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
    refused = _post(b, LOGIN, c=codes["CDE_ADMIN"])
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["RATE_LIMITED"]
    refused = _post(a, LOGIN, c=codes["CDE_ADMIN"])
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["RATE_LIMITED"]


SAVE = """mutation($n: Int!) { saveCounts(input: {cycle: "2024-25", cdsCode: "19647330000000",
  countA: $n, countB: 0, countC: 0}) { submission { version } userErrors { code } } }"""
SUBMIT = """mutation($v: Int!) { submitSubmission(input: {cycle: "2024-25",
  cdsCode: "19647330000000", certify: true, expectedVersion: $v, submitter: {name: "Kai Moss",
  title: "Director", email: "kai.moss@example.org", phone: "916-555-0100"}})
  { submission { status version } userErrors { code } } }"""


def test_workflow_races_across_processes_have_one_winner(
    servers: tuple[list[str], dict[str, Any]],
) -> None:
    (a, b), codes = servers
    token_a = _post(a, LOGIN, c=codes["LEA"]["19647330000000"])["data"]["login"]["token"]
    token_b = _post(b, LOGIN, c=codes["LEA"]["19647330000000"])["data"]["login"]["token"]
    saved = _post(a, SAVE, token_a, n=124)["data"]["saveCounts"]
    assert saved["userErrors"] == []
    version = saved["submission"]["version"]

    async def both() -> list[dict[str, Any]]:
        async with httpx.AsyncClient(timeout=30) as client:
            calls = [
                client.post(
                    f"{base}/graphql",
                    json={"query": SUBMIT, "variables": {"v": version}},
                    headers={"authorization": f"Bearer {token}"},
                )
                for base, token in ((a, token_a), (b, token_b)) * 5
            ]
            return [r.json()["data"]["submitSubmission"] for r in await asyncio.gather(*calls)]

    results = asyncio.run(both())
    winners = [r for r in results if not r["userErrors"]]
    assert len(winners) == 1
    assert winners[0]["submission"] == {"status": "SUBMITTED", "version": version + 1}
    losers = {e["code"] for r in results if r["userErrors"] for e in r["userErrors"]}
    assert losers <= {"VERSION_CONFLICT", "INVALID_STATE"}
