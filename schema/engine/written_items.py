"""Encoded answers of list items, kept by what decides them.

A long projected list whose sources are ``Keyed`` (each made from a key that wholly decides
it: a report row's figures from the row the database gave) is written item by item by its
selection's writer (``schema.engine.projection``). An item's answer then depends on the writer,
the function making the source and the key alone, so its encoded answer is kept by them: an
item met again is not made, written or encoded again. A report computed anew after a write
holds mostly rows as they were, and only the rows whose values changed are written. Kept answers
are bounded by their count, by their encoded bytes and by the lists they are kept for; past any
bound every kept answer is dropped at once. The bytes count the JSON only: each answer also holds
its key (a row) and a few small objects, about as much again for a report row.

Only for callers that send results as JSON as they are (``Context.encoded_answers``): the list
is then of ``orjson.Fragment``, which orjson writes into the response as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import orjson

from models.shared.keyed import Keyed
from schema.engine.exact_json import exact_dumps

KEPT_BYTES = 12 * 2**20
"""The bytes of encoded answers kept, all lists together."""
KEPT_ITEMS = 10_000
"""The answers kept, all lists together (each also holds its key)."""
KEPT_LISTS = 64
"""The (writer, source maker) pairs answers are kept for: each holds its writer, and so the
selection it was compiled from."""

Writer = Callable[[Any], Any]


class WrittenItems:
    """Encoded item answers by writer, source maker and key, bounded by count and bytes."""

    def __init__(
        self, max_bytes: int = KEPT_BYTES, max_items: int = KEPT_ITEMS, max_lists: int = KEPT_LISTS
    ) -> None:
        self.max_bytes = max_bytes
        self.max_items = max_items
        self.max_lists = max_lists
        self.bytes = 0
        self.items = 0
        self._kept: dict[tuple[Writer, Callable[[Any], Any]], dict[Hashable, orjson.Fragment]] = {}

    def __len__(self) -> int:
        return self.items

    def encoded(self, write: Writer, items: Keyed[Any]) -> list[orjson.Fragment]:
        """The encoded answer of each item, in order: kept ones as they are, others written
        from the value made from their key, encoded and kept. Raises what ``write`` raises."""
        make = items.make
        kept = self._kept.get((write, make), {})
        answers = []
        for key in items.keys:
            answer = kept.get(key)
            if answer is None:
                encoded = exact_dumps(write(make(key)))
                answer = orjson.Fragment(encoded)
                if len(encoded) <= self.max_bytes:
                    kept = self._room(write, make, kept, len(encoded))
                    kept[key] = answer
                    self.bytes += len(encoded)
                    self.items += 1
            answers.append(answer)
        return answers

    def _room(
        self, write: Writer, make: Callable[[Any], Any], kept: dict[Hashable, Any], size: int
    ) -> dict[Hashable, Any]:
        """The answers of this list, with room for one more of ``size`` bytes: everything
        dropped first when that would pass a bound."""
        pair = (write, make)
        new_list = pair not in self._kept
        if (
            self.bytes + size > self.max_bytes
            or self.items >= self.max_items
            or (new_list and len(self._kept) >= self.max_lists)
        ):
            self._kept.clear()
            self.bytes = self.items = 0
            kept, new_list = {}, True
        if new_list:
            self._kept[pair] = kept
        return kept
