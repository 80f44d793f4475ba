"""Two schemas answering one document alike."""

from __future__ import annotations

from typing import Any

import strawberry


async def assert_answered_alike(
    first: strawberry.Schema, second: strawberry.Schema, document: str, on: bool
) -> None:
    """Both answer ``document`` (its ``$on``, when it has one, set to ``on``) with the same
    data and the same errors (message, path, locations)."""
    variables: dict[str, Any] | None = {"on": on} if "$on" in document else None
    one = await first.execute(document, variable_values=variables)
    other = await second.execute(document, variable_values=variables)
    assert one.data == other.data
    assert [e.formatted for e in one.errors or []] == [e.formatted for e in other.errors or []]
