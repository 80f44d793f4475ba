"""Pooled PostgreSQL connections go back to the pool without a reset statement, and nothing
leaves session-level state on them (``iepimp.db.keep_session``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.clients import GraphQLClient
from tests.support.pg_statements import pg_statements

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("kernel", "models", "resolvers", "schema", "web", "mailers", "iepimp")
EXEMPT = {Path("iepimp/migration_lock.py"), Path("iepimp/db.py")}
"""The migration lock (a connection of its own, outside the pool) and the rule's statement."""
SESSION_STATE = re.compile(
    r"pg_(try_)?advisory_lock|\bLISTEN\b|WITH HOLD|(^|[\"';])\s*SET\s+(?!LOCAL\b)(SESSION\s+)?\w+"
    r"|set_config\([^)]*,\s*false\s*\)",
    re.MULTILINE,
)
"""SQL keywords as the code writes them (upper case)."""


@pytest.mark.postgres_only
async def test_a_request_sends_no_pool_reset_statement(lea_a1: GraphQLClient) -> None:
    # given a signed-in LEA
    # when it sends one GraphQL request
    with pg_statements() as sent:
        result = await lea_a1.execute("{ viewer { role } }")
    # then the answer came from the database, and no released connection was reset
    assert result.data == {"viewer": {"role": "LEA"}}
    assert sent
    resets = [s for s in sent if "RESET ALL" in s or "pg_advisory_unlock_all" in s]
    assert resets == []


def test_no_pooled_statement_takes_session_level_state() -> None:
    # given every module that runs SQL on pooled connections
    files = [
        path
        for folder in SOURCES
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path.relative_to(ROOT) not in EXEMPT and "migrations" not in path.parts
    ]
    # when their text is searched for statements that outlive a transaction
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in files
        for match in SESSION_STATE.finditer(path.read_text(encoding="utf-8"))
    ]
    # then there are none: a connection released without a reset holds nothing over
    assert files and found == []
