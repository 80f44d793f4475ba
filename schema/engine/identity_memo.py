"""Values kept by the identity of the objects they were worked out from.

Parsed documents, their nodes and the schema are handed out again as the very same objects
(the parser caches answer the same text with the same document), so their identity is a key
that costs nothing to compute, unlike graphql-core's hash of a node, which walks the whole
tree. Each entry holds the objects it was made from, so no other object can take their
identities while it lives; the least recently used entry goes first once ``size`` are kept.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class IdentityMemo(Generic[V]):
    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[
            tuple[tuple[int, ...], Hashable], tuple[tuple[object, ...], V]
        ] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, objects: tuple[object, ...], extra: Hashable = None) -> tuple[V] | None:
        """``(value,)`` when one is kept for these very objects and ``extra``, else None."""
        key = (tuple(map(id, objects)), extra)
        entry = self._entries.get(key)
        if entry is None or any(a is not b for a, b in zip(entry[0], objects, strict=True)):
            return None
        self._entries.move_to_end(key)
        return (entry[1],)

    def put(self, objects: tuple[object, ...], value: V, extra: Hashable = None) -> None:
        self._entries[(tuple(map(id, objects)), extra)] = (objects, value)
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)
