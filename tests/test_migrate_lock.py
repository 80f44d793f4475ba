"""Two ``iepimp migrate`` at once on a fresh database (two replicas starting together): one
waits for the other's lock, both succeed, and each migration is applied once."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest

from tests.support.pgadmin import new_database_url, pg_admin

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 3


async def _applied(url: str) -> list[str]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("SELECT name FROM tortoise_migrations ORDER BY name")
    finally:
        await conn.close()
    return [row["name"] for row in rows]


@pytest.mark.postgres_only
def test_two_migrations_at_once_take_turns() -> None:
    for _ in range(ROUNDS):
        # given a fresh, empty database
        url, name = new_database_url("iepimp_lock")
        asyncio.run(pg_admin(f'CREATE DATABASE "{name}"'))
        env = {k: v for k, v in os.environ.items() if not k.startswith("IEPIMP_")}
        env.update(DATABASE_URL=url, IEPIMP_SECRET_KEY="migrate-lock-secret-0123456789abcdef")
        try:
            # when two migrate processes start at the same moment
            procs = [
                subprocess.Popen(
                    [sys.executable, "-m", "iepimp", "migrate"],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for _ in range(2)
            ]
            results = [proc.communicate(timeout=120) for proc in procs]
            # then both succeed and every migration is recorded exactly once
            for proc, (out, err) in zip(procs, results, strict=True):
                assert proc.returncode == 0, err
                assert "database is up to date" in out
            applied = asyncio.run(_applied(url))
            assert applied == sorted(set(applied))
            assert applied[0] == "0001_initial"
        finally:
            asyncio.run(pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def test_sqlite_migrations_take_turns(tmp_path: Path) -> None:
    # given a fresh SQLite file, when two migrate processes start at the same moment
    env = {k: v for k, v in os.environ.items() if not k.startswith("IEPIMP_")}
    env["DATABASE_URL"] = f"sqlite://{tmp_path / 'db.sqlite3'}"
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "iepimp", "migrate"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    # then both succeed, and each migration is recorded once
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    with contextlib.closing(sqlite3.connect(tmp_path / "db.sqlite3")) as db:
        names = [row[0] for row in db.execute("SELECT name FROM tortoise_migrations")]
    assert len(names) == len(set(names)) >= 3
