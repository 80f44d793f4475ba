"""Creating and dropping throw-away PostgreSQL databases for tests that need their own."""

from __future__ import annotations

import uuid
from urllib.parse import urlparse

import asyncpg

from tests.conftest import PG_URL


async def pg_admin(sql: str) -> None:
    """Run one statement on the server's maintenance database."""
    parts = urlparse(PG_URL.replace("{}", "postgres"))
    conn = await asyncpg.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, database="postgres"
    )
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def new_database_url(prefix: str) -> tuple[str, str]:
    """A fresh database URL on the test server and its database name (not yet created)."""
    url = PG_URL.replace("{}", f"{prefix}_{uuid.uuid4().hex[:12]}")
    return url, url.rsplit("/", 1)[1]
