"""Record the model objects Tortoise builds from database rows while a block runs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tortoise.models import Model


@contextmanager
def models_built() -> Iterator[list[str]]:
    """The class name of each model object made from a row, in order."""
    built: list[str] = []
    original = Model.__dict__["_init_from_db"]

    def record(cls: type[Model], **kwargs: Any) -> Any:
        built.append(cls.__name__)
        return original.__func__(cls, **kwargs)

    Model._init_from_db = classmethod(record)  # type: ignore[method-assign, assignment]
    try:
        yield built
    finally:
        Model._init_from_db = original  # type: ignore[method-assign]
