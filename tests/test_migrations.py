"""Committed migrations match the models and migrate a fresh database from zero."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_asyncio

from tests.conftest import is_postgres
from tests.support.pgadmin import new_database_url, pg_admin

ROOT = Path(__file__).resolve().parents[1]


def probe(*args: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "tests.support.migration_probe", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


@pytest_asyncio.fixture
async def fresh_url(tmp_path: Path) -> AsyncIterator[str]:
    """An empty database on the engine under test."""
    if not is_postgres():
        yield f"sqlite://{tmp_path / 'fresh.sqlite3'}"
        return
    url, name = new_database_url("iepimp_migrate")
    await pg_admin(f'CREATE DATABASE "{name}"')
    yield url
    await pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _misplaced_index_columns(url: str) -> list[str]:
    """Index columns that are not columns of their table (SQLite quietly indexes a literal)."""
    if not url.startswith("sqlite://"):
        return []
    with contextlib.closing(sqlite3.connect(url[len("sqlite://") :])) as db:
        bad = []
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            columns = {r[1] for r in db.execute(f'PRAGMA table_info("{table}")')}
            for index in db.execute(f'PRAGMA index_list("{table}")').fetchall():
                for info in db.execute(f'PRAGMA index_info("{index[1]}")'):
                    if info[2] not in columns:
                        bad.append(f"{table}.{index[1]}")
        return bad


def test_models_have_no_pending_changes() -> None:
    assert probe("pending") == {"pending": 0}, "run `tortoise makemigrations` and commit it"


def test_fresh_database_migrates_from_zero_and_is_accepted(fresh_url: str) -> None:
    # given an empty database, when every migration is applied, then the server accepts it
    assert probe("migrate", fresh_url) == {"migrated": True, "epoch_moves": True}
    assert _misplaced_index_columns(fresh_url) == []


def test_unmigrated_database_is_refused(fresh_url: str) -> None:
    assert probe("refuse", fresh_url) == {"refused": True}
