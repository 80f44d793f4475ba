"""Read the report epoch token (see ``models.report_epoch``)."""

from __future__ import annotations

from tortoise import connections

from models.report_epoch import EPOCH_ROW, SQLITE_TOKEN_SQL, ReportEpoch


async def current_token() -> str | None:
    """The current token, or None when the epoch is unknown (then nothing may be reused)."""
    connection = connections.get("default")
    if connection.capabilities.dialect == "sqlite":
        row = (await connection.execute_query_dict(SQLITE_TOKEN_SQL))[0]
        return f"{row['data_version']}:{row['changes']}"
    rows = await ReportEpoch.filter(id=EPOCH_ROW).values_list("token", flat=True)
    return str(rows[0]) if rows else None
