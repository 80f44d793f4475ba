"""Bulk statements for large loads: PostgreSQL COPY, or batched multi-row statements elsewhere."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

BATCH = 5000


def is_postgres(db: BaseDBAsyncClient) -> bool:
    return db.capabilities.dialect == "postgres"


def placeholders(db: BaseDBAsyncClient, count: int, start: int = 1) -> str:
    """``$1, $2 …`` on PostgreSQL, ``?, ? …`` elsewhere."""
    if is_postgres(db):
        return ", ".join(f"${i}" for i in range(start, start + count))
    return ", ".join("?" for _ in range(count))


def param(db: BaseDBAsyncClient, index: int) -> str:
    return f"${index}" if is_postgres(db) else "?"


def batches(rows: Iterable[Sequence[Any]], size: int = BATCH) -> Iterable[list[Sequence[Any]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


async def insert_rows(
    db: BaseDBAsyncClient, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert ``rows`` into ``table``: COPY on PostgreSQL, batched executemany elsewhere."""
    count = 0
    if is_postgres(db):
        async with db.acquire_connection() as connection:
            for chunk in batches(rows):
                await connection.copy_records_to_table(
                    table, records=[tuple(r) for r in chunk], columns=list(columns)
                )
                count += len(chunk)
        return count
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - identifiers are ours
        f"VALUES ({placeholders(db, len(columns))})"
    )
    for chunk in batches(rows):
        await db.execute_many(sql, [list(r) for r in chunk])
        count += len(chunk)
    return count


async def execute_many(db: BaseDBAsyncClient, sql: str, rows: Iterable[Sequence[Any]]) -> None:
    """One prepared statement over many parameter rows, in batches."""
    for chunk in batches(rows):
        await db.execute_many(sql, [list(r) for r in chunk])


async def execute_count(db: BaseDBAsyncClient, sql: str) -> int:
    """Run an INSERT, UPDATE or DELETE and return how many rows it touched."""
    if is_postgres(db):
        async with db.acquire_connection() as connection:
            status = await connection.execute(sql)
        return int(str(status).rsplit(" ", 1)[-1])
    count, _ = await db.execute_query(sql)
    return int(count)
