"""One statement for many requests that ask the same read at once, each answered by a statement
that started after it asked.

A request that asks while no statement of its key is running runs one itself. A request that
asks while one is running does not take that statement's answer (it may have read before a write
the request should see): it waits for the next statement, which starts as soon as the running
one ends and answers every request that asked in between. So under load a key costs one
statement per round trip, however many requests ask; alone, a request waits for its own
statement only, as without sharing. Each answer reflects every write committed before its
request asked. Reads inside a transaction are never shared: they must see its own writes.
"""

from __future__ import annotations

import asyncio
import contextvars
import weakref
from collections.abc import Callable, Coroutine, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient, TransactionalDBClient

T = TypeVar("T")


class SharedReads:
    """The statements of one event loop, by key; a key names the statement and its values
    (so whatever decides what a caller may see is part of it)."""

    def __init__(self) -> None:
        self._running: set[Hashable] = set()
        self._next: dict[Hashable, _Next] = {}
        self._statements: set[asyncio.Task[Any]] = set()

    async def read(self, key: Hashable, run: Callable[[], Coroutine[Any, Any, T]]) -> T:
        """``run()``'s answer, from a statement that starts after this call: the caller's own,
        run in its task, when none of ``key`` is running; else the next one."""
        if key not in self._running:
            self._running.add(key)
            try:
                return await run()
            finally:
                self._ended(key)
        waiting = self._next.get(key)
        if waiting is None:
            answers = asyncio.get_running_loop().create_future()
            answers.add_done_callback(_retrieved)
            waiting = self._next[key] = _Next(answers, run, contextvars.copy_context())
        waiting.waiters += 1
        shielded = asyncio.shield(waiting.answers)
        try:
            answer: T = await shielded
        finally:
            waiting.waiters -= 1
            shielded.cancel()
        return answer

    def _ended(self, key: Hashable) -> None:
        self._running.discard(key)
        if key in self._next:
            self._start(key)

    def _start(self, key: Hashable) -> None:
        batch = self._next.pop(key)
        if batch.waiters == 0:
            batch.answers.cancel()
            return
        try:
            statement = asyncio.get_running_loop().create_task(batch.run(), context=batch.context)
        except BaseException:
            batch.answers.cancel()
            raise
        self._running.add(key)
        self._statements.add(statement)

        def ended(done: asyncio.Task[Any]) -> None:
            self._statements.discard(done)
            error = None if done.cancelled() else done.exception()
            if done.cancelled() or (error is not None and not isinstance(error, Exception)):
                self._abandon(key, batch)
                return
            if error is not None:
                batch.answers.set_exception(error)
            else:
                batch.answers.set_result(done.result())
            self._ended(key)

        statement.add_done_callback(ended)

    def _abandon(self, key: Hashable, batch: _Next) -> None:
        """A statement cancelled (the loop is closing) or stopped by an exit: its requests and
        the next ones are cancelled, and no other statement starts."""
        self._running.discard(key)
        batch.answers.cancel()
        waiting = self._next.pop(key, None)
        if waiting is not None:
            waiting.answers.cancel()


@dataclass
class _Next:
    """The statement that starts when the running one ends: the future of every request that
    asked in between, how many still wait (none: it does not start), and the first one's read
    and context (its request id in the logs)."""

    answers: asyncio.Future[Any]
    run: Callable[[], Coroutine[Any, Any, Any]]
    context: contextvars.Context
    waiters: int = 0


def _retrieved(answers: asyncio.Future[Any]) -> None:
    """Marks a failed statement's error as seen, should every request that waited for it
    have gone."""
    if not answers.cancelled():
        answers.exception()


_by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, SharedReads] = (
    weakref.WeakKeyDictionary()
)


async def shared_read(
    db: BaseDBAsyncClient, key: Hashable, run: Callable[[], Coroutine[Any, Any, T]]
) -> T:
    """``run()`` shared with the requests that ask ``key`` at the same time on ``db``; inside a
    transaction, run alone."""
    if isinstance(db, TransactionalDBClient):
        return await run()
    loop = asyncio.get_running_loop()
    reads = _by_loop.get(loop)
    if reads is None:
        reads = _by_loop[loop] = SharedReads()
    return await reads.read((id(db), key), run)
