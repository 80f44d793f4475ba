"""Encoded answers of list items, kept by the writer and the key that decide them.

A long projected list whose sources are ``Keyed`` (each made from a key that wholly decides
it: a report row's figures from the row the database gave) is written item by item by its
selection's writer (``schema.engine.projection``). An item's answer then depends on the writer
and the key alone, so its encoded answer is kept by them: an item met again is not made, written
or encoded again. A report computed anew after a write holds mostly rows as they were, and only
the rows whose values changed are written. Kept answers are bounded by the bytes they hold; past
the bound every kept answer is dropped at once.

Only for callers that send results as JSON as they are (``Context.encoded_answers``): the list
is then of ``orjson.Fragment``, which orjson writes into the response as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import orjson

from models.shared.keyed import Keyed

KEPT_BYTES = 32 * 2**20
"""The bytes of encoded answers kept, all writers together."""

Writer = Callable[[Any], Any]


class WrittenItems:
    """Encoded item answers by writer and key, bounded by the bytes they hold."""

    def __init__(self, max_bytes: int = KEPT_BYTES) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self._by_writer: dict[Writer, dict[Hashable, orjson.Fragment]] = {}

    def __len__(self) -> int:
        return sum(len(kept) for kept in self._by_writer.values())

    def encoded(self, write: Writer, items: Keyed[Any]) -> list[orjson.Fragment]:
        """The encoded answer of each item, in order: kept ones as they are, others written
        from the value made from their key, encoded and kept. Raises what ``write`` raises."""
        kept = self._by_writer.get(write)
        if kept is None:
            kept = self._by_writer[write] = {}
        make, answers = items.make, []
        for key in items.keys:
            answer = kept.get(key)
            if answer is None:
                encoded = orjson.dumps(write(make(key)))
                answer = orjson.Fragment(encoded)
                if len(encoded) <= self.max_bytes:
                    if self.bytes + len(encoded) > self.max_bytes:
                        self._by_writer.clear()
                        self.bytes = 0
                        kept = self._by_writer[write] = {}
                    kept[key] = answer
                    self.bytes += len(encoded)
            answers.append(answer)
        return answers
