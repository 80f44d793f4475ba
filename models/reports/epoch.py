"""The report epoch: a token that changes whenever any data behind a report changes.

PostgreSQL: triggers on every table the reports read (``REPORT_TABLES``) replace the token in
this single-row table in the same transaction as the change, at commit and once per
transaction, so the token's row lock is the last one a writer takes. An answer computed after
reading the token can therefore never be served once the data it came from has changed.
TRUNCATE moves the token too (at once: statement triggers cannot wait for the commit). Writes
made with triggers disabled (``session_replication_role = replica``, as ``pg_restore
--disable-triggers`` does) are not seen: the store's maximum age bounds that case. Committing
writers queue briefly on the one row; fine at this collection's write rate (a few per second
at the busiest), and a per-cycle epoch would be the next step beyond it.

SQLite (one connection per process) needs no trigger: the connection's count of changed rows
and the file's data version (moved by other processes' commits) make the token. A trigger
there would also be counted in the row counts the compare-and-set updates rely on.

No token (a freshly emptied table) means "unknown": nothing may be reused then.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

EPOCH_ROW = 1
REPORT_TABLES = ("cycle", "selpa", "lea", "lea_cycle", "submission", "published_report")
"""Every table whose rows a report or a published snapshot is computed from."""

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION report_epoch_advance() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    IF COALESCE(current_setting('iepimp.report_epoch_advanced', true), '') <> 'y' THEN
        INSERT INTO report_epoch (id, token)
        VALUES (1, replace(gen_random_uuid()::text, '-', ''))
        ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
        PERFORM set_config('iepimp.report_epoch_advanced', 'y', true);
    END IF;
    RETURN NULL;
END $$
"""

TRIGGER_SQL = [
    _PG_FUNCTION,
    *(
        statement
        for table in REPORT_TABLES
        for statement in (
            f'DROP TRIGGER IF EXISTS report_epoch_{table} ON "{table}"',
            f"CREATE CONSTRAINT TRIGGER report_epoch_{table} "
            f'AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
            "EXECUTE FUNCTION report_epoch_advance()",
            f'DROP TRIGGER IF EXISTS report_epoch_truncate_{table} ON "{table}"',
            f"CREATE TRIGGER report_epoch_truncate_{table} "
            f'AFTER TRUNCATE ON "{table}" FOR EACH STATEMENT '
            "EXECUTE FUNCTION report_epoch_advance()",
        )
    ),
    "INSERT INTO report_epoch (id, token) "
    "VALUES (1, replace(gen_random_uuid()::text, '-', '')) ON CONFLICT (id) DO NOTHING",
]
DROP_SQL = [
    *(
        f'DROP TRIGGER IF EXISTS report_epoch_{kind}{table} ON "{table}"'
        for table in REPORT_TABLES
        for kind in ("", "truncate_")
    ),
    "DROP FUNCTION IF EXISTS report_epoch_advance()",
]
SQLITE_TOKEN_SQL = (
    "SELECT total_changes() AS changes, data_version "  # noqa: S105 - SQL, not a secret
    "FROM pragma_data_version()"
)


async def install_triggers(connection: BaseDBAsyncClient) -> None:
    """Install (or re-install) the PostgreSQL triggers and start the epoch."""
    if connection.capabilities.dialect == "postgres":
        for statement in TRIGGER_SQL:
            await connection.execute_script(statement)


async def drop_triggers(connection: BaseDBAsyncClient) -> None:
    if connection.capabilities.dialect == "postgres":
        for statement in DROP_SQL:
            await connection.execute_script(statement)


class ReportEpoch(Model):
    """PostgreSQL: a single row (``id`` 1) holding the current token."""

    id = fields.IntField(primary_key=True)
    token = fields.CharField(max_length=32)

    class Meta:
        table = "report_epoch"
