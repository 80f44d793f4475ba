"""Read the report epoch token (see ``models.reports.epoch``)."""

from __future__ import annotations

import secrets
from weakref import WeakKeyDictionary

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

from models.reports.epoch import EPOCH_ROW, SQLITE_TOKEN_SQL, ReportEpoch

_SQLITE_NONCES: WeakKeyDictionary[object, str] = WeakKeyDictionary()


def _sqlite_nonce(client: BaseDBAsyncClient) -> str:
    """A random name for the driver connection behind ``client``: its counters start again
    at 0 when it is reopened, so a token must also say which connection counted."""
    driver = getattr(client, "_connection", None)
    if driver is None:
        return secrets.token_hex(8)
    nonce = _SQLITE_NONCES.get(driver)
    if nonce is None:
        nonce = _SQLITE_NONCES[driver] = secrets.token_hex(8)
    return nonce


async def current_token() -> str | None:
    """The current token, or None when the epoch is unknown (then nothing may be reused)."""
    connection = connections.get("default")
    if connection.capabilities.dialect == "sqlite":
        row = (await connection.execute_query_dict(SQLITE_TOKEN_SQL))[0]
        return f"{_sqlite_nonce(connection)}:{row['data_version']}:{row['changes']}"
    _, rows = await connection.execute_query(_PG_TOKEN_SQL, [EPOCH_ROW])
    return str(rows[0][0]) if rows else None


_PG_TOKEN_SQL = f'SELECT "token" FROM "{ReportEpoch._meta.db_table}" WHERE "id" = $1'  # noqa: S608
"""One fixed statement (prepared once per connection by the driver)."""
