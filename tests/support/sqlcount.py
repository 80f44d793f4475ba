"""Count the SQL statements a block of code runs (tortoise logs each one at DEBUG)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

_LOGGER = logging.getLogger("tortoise.db_client")
_SKIP = ("Created connection", "Closed connection")


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(_SKIP):
            self.statements.append(message)


@contextmanager
def count_sql() -> Iterator[list[str]]:
    collector = _Collector()
    previous = _LOGGER.level
    _LOGGER.setLevel(logging.DEBUG)
    _LOGGER.addHandler(collector)
    try:
        yield collector.statements
    finally:
        _LOGGER.removeHandler(collector)
        _LOGGER.setLevel(previous)
