"""Exit 0 when the test PostgreSQL server answers, 1 otherwise (used by ``make test``)."""

import asyncio
import os
import sys
from urllib.parse import urlparse

import asyncpg

URL = os.environ.get("IEPIMP_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/test_{}")


async def _probe() -> bool:
    parts = urlparse(URL)
    try:
        conn = await asyncpg.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password,
            database="postgres",
            timeout=5,
        )
    except (TimeoutError, OSError, asyncpg.PostgresError):
        return False
    await conn.close()
    return True


if __name__ == "__main__":
    sys.exit(0 if asyncio.run(_probe()) else 1)
