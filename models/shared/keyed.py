"""Sequences whose values are made when first asked for, and values each made from a key that
wholly decides it."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from typing import Generic, TypeVar, overload

V = TypeVar("V")


class MadeWhenAsked(Sequence[V], Generic[V]):
    """A sequence read from the list ``_values`` gives (made once, when first asked for)."""

    __slots__ = ()

    def _values(self) -> list[V]:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> V: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[V]: ...

    def __getitem__(self, index: int | slice) -> V | Sequence[V]:
        return self._values()[index]

    def __iter__(self) -> Iterator[V]:
        return iter(self._values())


class Keyed(MadeWhenAsked[V]):
    """Values each made by ``make`` from its key, when first asked for: a row as the database
    gave it, say, and the figures read from it. ``make`` is a pure, long-lived function (what
    is kept is kept by it too, so a function made per call keeps nothing for long) and keys
    that compare equal make equal values, so what is worked out from a value alone may be kept
    by its key (``schema.engine.written_items``)."""

    __slots__ = ("_made", "keys", "make")

    def __init__(self, keys: Sequence[Hashable], make: Callable[[object], V]) -> None:
        self.keys = keys
        self.make = make
        self._made: list[V] | None = None

    def _values(self) -> list[V]:
        if self._made is None:
            make = self.make
            self._made = [make(key) for key in self.keys]
        return self._made

    def __len__(self) -> int:
        return len(self.keys)
