"""Every row of every table, to prove a refused request changed nothing."""

from __future__ import annotations

from typing import Any

from tortoise import Tortoise

VOLATILE = {"session": {"last_used_at"}}
"""Columns a request may touch without changing anything: a session's last use."""


async def table_snapshot() -> dict[str, list[dict[str, Any]]]:
    snapshot: dict[str, list[dict[str, Any]]] = {}
    apps = Tortoise.apps
    assert apps is not None
    for model in apps.get_models_iterable():
        table = model._meta.db_table
        rows = await model.all().order_by(model._meta.pk_attr).values()
        skip = VOLATILE.get(table, set())
        snapshot[table] = [{k: v for k, v in row.items() if k not in skip} for row in rows]
    return snapshot
