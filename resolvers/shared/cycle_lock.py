"""Serialising the writes that depend on a cycle's state (open, roster import, sample draw,
publication).

Each takes the cycle row ``FOR UPDATE`` inside its transaction and re-checks the status there,
so a roster import or a draw can never land in a cycle that opened meanwhile. (SQLite runs one
write transaction at a time, which gives the same guarantee.)
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from models import Cycle


async def locked_cycle(tx: BaseDBAsyncClient, cycle_id: int) -> Cycle:
    return await Cycle.filter(id=cycle_id).select_for_update().using_db(tx).get()
