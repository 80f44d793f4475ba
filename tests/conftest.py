"""Shared fixtures: one database per test session (SQLite file or PostgreSQL), emptied per test.

``IEPIMP_TEST_DB=postgres`` runs the suite against PostgreSQL (``IEPIMP_TEST_PG_URL``,
default ``postgres://postgres@127.0.0.1:5432/test_{}``; ``{}`` becomes a fresh database that
is dropped at the end).
"""

from __future__ import annotations

import os
import tempfile
import uuid
import warnings
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from starlette.applications import Starlette
from tortoise.context import TortoiseContext
from tortoise.contrib.test import truncate_all_models
from tortoise.warnings import TortoiseLoopSwitchWarning

from iepimp.app import create_app
from iepimp.db import tortoise_config
from kernel.settings import Settings, load_settings
from models.reports.epoch import install_triggers
from tests.support.clients import GraphQLClient
from tests.support.factories import SECRET, FakeClock, World, build_world

TEST_DB = os.environ.get("IEPIMP_TEST_DB", "sqlite")
PG_URL = os.environ.get("IEPIMP_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/test_{}")


def pytest_report_header() -> str:
    return f"iepimp test database: {TEST_DB}"


def is_postgres() -> bool:
    return TEST_DB == "postgres"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    skip = pytest.mark.skip(reason="needs PostgreSQL row locks (runs in the PostgreSQL half)")
    for item in items:
        if "postgres_only" in item.keywords and not is_postgres():
            item.add_marker(skip)


@pytest_asyncio.fixture(scope="session")
async def database() -> AsyncIterator[TortoiseContext]:
    """The session's database, created with the server's own configuration (pool included)."""
    if is_postgres():
        url = PG_URL.replace("{}", uuid.uuid4().hex)
    else:
        folder = tempfile.mkdtemp(prefix="iepimp-test-")
        url = f"sqlite://{Path(folder) / 'test.sqlite3'}"
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=TortoiseLoopSwitchWarning)
        async with TortoiseContext() as ctx:
            await ctx.init(config=tortoise_config(url), _create_db=True)
            await ctx.generate_schemas(safe=False)
            await install_triggers(ctx.db())
            yield ctx
            if is_postgres():
                conn = ctx.db()
                await ctx.connections.close_all(discard=False)
                await conn.db_delete()


@pytest_asyncio.fixture
async def db(database: TortoiseContext) -> AsyncIterator[TortoiseContext]:
    """An empty database for one test."""
    await truncate_all_models()
    yield database
    await truncate_all_models()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings() -> Settings:
    return load_settings({"IEPIMP_SECRET_KEY": SECRET, "IEPIMP_ENV": "development"})


@pytest.fixture
def app(settings: Settings, clock: FakeClock) -> Starlette:
    return create_app(settings, clock=clock, manage_database=False)


@pytest_asyncio.fixture
async def world(db: TortoiseContext, clock: FakeClock) -> World:
    return await build_world(clock())


async def _signed_in(app: Starlette, code: str) -> GraphQLClient:
    client = GraphQLClient(app)
    result = await client.login(code)
    assert client.token, result.body
    return client


@pytest.fixture
def anonymous(app: Starlette) -> GraphQLClient:
    return GraphQLClient(app)


@pytest_asyncio.fixture
async def cde_admin(app: Starlette, world: World) -> GraphQLClient:
    return await _signed_in(app, world.codes["CDE_ADMIN"])


@pytest_asyncio.fixture
async def cde_analyst(app: Starlette, world: World) -> GraphQLClient:
    return await _signed_in(app, world.codes["CDE_ANALYST"])


@pytest_asyncio.fixture
async def selpa_a(app: Starlette, world: World) -> GraphQLClient:
    return await _signed_in(app, world.codes["SELPA_A"])


@pytest_asyncio.fixture
async def selpa_b(app: Starlette, world: World) -> GraphQLClient:
    return await _signed_in(app, world.codes["SELPA_B"])


@pytest_asyncio.fixture
async def lea_a1(app: Starlette, world: World) -> GraphQLClient:
    return await _signed_in(app, world.codes["LEA_A1"])


@pytest_asyncio.fixture
async def lea_b1(app: Starlette, world: World) -> GraphQLClient:
    return await _signed_in(app, world.codes["LEA_B1"])
