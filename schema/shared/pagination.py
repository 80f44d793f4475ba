"""Relay cursor connections."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import strawberry

T = TypeVar("T")


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    count_total: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="Number of items in the whole list, across pages.")
    async def total_count(self) -> int:
        return await self.count_total()


def connection(
    nodes: list[T], cursors: list[str], has_next: bool, count: Callable[[], Awaitable[int]]
) -> Connection[T]:
    edges = [Edge(cursor=c, node=n) for c, n in zip(cursors, nodes, strict=True)]
    return Connection(
        edges=edges,
        page_info=PageInfo(has_next_page=has_next, end_cursor=cursors[-1] if cursors else None),
        count_total=count,
    )
