"""The direct path for plain-data objects answers exactly what graphql-core's generic path does."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

import pytest
import strawberry
from strawberry.extensions import FieldExtension, ParserCache
from strawberry.permission import BasePermission
from strawberry.scalars import JSON

from schema.engine import plain_executor
from schema.engine.plain_executor import LONG_LIST, PlainDataExecutor
from tests.support.answers import assert_answered_alike


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Inner:
    n: int
    note: str | None


@strawberry.type
class Row:
    id: int
    name: str
    colour: Colour
    inner: Inner
    maybe: Inner | None
    tags: list[str]

    @strawberry.field
    def doubled(self) -> int:
        return self.id * 2


@strawberry.type
class Node:
    id: int
    children: list[Node]


def _tree(depth: int) -> Node:
    return Node(id=depth, children=[_tree(depth - 1) for _ in range(2)] if depth else [])


def _rows(count: int = 6) -> list[Row]:
    return [
        Row(
            id=i,
            name=f"row {i}",
            colour=Colour.RED if i % 2 else Colour.BLUE,
            inner=Inner(n=i * 10, note=None if i % 2 else "even"),
            maybe=None if i % 3 else Inner(n=-i, note="third"),
            tags=[f"t{i}"],
        )
        for i in range(1, count + 1)
    ]


class Deny(BasePermission):
    message = "Not for you."

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        return False


class Shout(FieldExtension):
    def resolve(self, next_: Any, source: Any, info: Any, **kwargs: Any) -> Any:
        return str(next_(source, info, **kwargs)).upper()


@strawberry.type
class Guarded:
    open: str
    secret: str = strawberry.field(permission_classes=[Deny])
    loud: str = strawberry.field(extensions=[Shout()])


@strawberry.type
class Odd:
    when: datetime
    blob: JSON | None


async def _later() -> dict[str, int]:
    return {"k": 1}


@strawberry.type
class Query:
    @strawberry.field
    def guarded(self) -> list[Guarded]:
        return [Guarded(open="o", secret="s3cr3t", loud="quiet")]

    @strawberry.field
    def odd(self) -> list[Odd]:
        """A custom scalar, an exception held as a value, an awaitable held as a value."""
        when = datetime(2025, 6, 30, 23, 59, tzinfo=UTC)
        return [
            Odd(when=when, blob={"k": 0}),
            Odd(when=when, blob=ValueError("boom")),
            Odd(when=when, blob=_later()),
        ]

    @strawberry.field
    def rows(self) -> list[Row]:
        return _rows()

    @strawberry.field
    def one_row(self) -> Row:
        return _rows(1)[0]

    @strawberry.field
    def tree(self) -> Node:
        return _tree(3)

    @strawberry.field
    def broken(self) -> list[Row]:
        """The second row breaks a non-null field; the fourth an Int's range."""
        rows = _rows()
        rows[1].inner = None  # type: ignore[assignment]
        rows[3].inner = Inner(n=2**40, note=None)
        return rows

    @strawberry.field
    def many_odd(self) -> list[Odd]:
        """A long list of datetimes: aware, naive, a date where a datetime belongs, a string."""
        odd: list[Any] = [
            Odd(when=datetime(2025, 6, 30, 23, i % 60, tzinfo=UTC), blob=None)
            for i in range(LONG_LIST + 4)
        ]
        odd[3].when = datetime(2025, 1, 1, 8, 0)
        odd[5].when = date(2025, 1, 1)
        odd[7].when = "2025-01-01T00:00:00"
        return odd

    @strawberry.field
    def many_rows(self) -> list[Row]:
        """Long enough for the compiled plan."""
        return _rows(LONG_LIST + 8)

    @strawberry.field
    def many_broken(self) -> list[Row | None]:
        """A long list with a null row, a null and a wrong type in non-null fields, a float
        and a bool in Int fields, an Int out of range and an object of another class."""
        rows: list[Any] = _rows(LONG_LIST + 8)
        rows[2] = None
        rows[5].name = None
        rows[7].name = 12
        rows[9].id = 3.0
        rows[11].id = True
        rows[13].inner = Inner(n=2**40, note=None)
        rows[15].inner = Odd(when=datetime(2025, 1, 1, tzinfo=UTC), blob=None)
        return rows


class CountingExecutor(PlainDataExecutor):
    direct = 0

    def _complete(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        CountingExecutor.direct += 1
        return super()._complete(*args, **kwargs)


GENERIC = strawberry.Schema(query=Query)
DIRECT = strawberry.Schema(query=Query, execution_context_class=CountingExecutor)

DOCUMENTS = {
    "every plain field": "{ rows { id name colour inner { n note } maybe { n note } } }",
    "aliases and typename": "{ rows { __typename k: id id2: id inner { __typename v: n } } }",
    "fragments": """
        query { rows { ...R ... on Row { colour } } }
        fragment R on Row { id inner { ...I } }
        fragment I on Inner { n note }
    """,
    "skip and include": """
        query($on: Boolean!) { rows { id name @include(if: $on) inner @skip(if: $on) { n } } }
    """,
    "a resolver field": "{ rows { id doubled inner { n } } }",
    "a list field": "{ rows { id tags } }",
    "a null in a non-null field and an Int out of range": "{ broken { id inner { n } } }",
    "a permission class and a field extension": "{ guarded { open secret loud } }",
    "a custom scalar, an exception and an awaitable as values": "{ odd { when blob } }",
    "one object": "{ oneRow { id name colour inner { n note } maybe { n } } }",
    "a tree": "{ tree { id children { id children { id children { id } } } } }",
    "a long list": "{ manyRows { __typename id name colour inner { n note } maybe { n } } }",
    "a long list with a resolver field": "{ manyRows { id doubled inner { n } } }",
    "a long list of odd values": "{ manyBroken { id name inner { n note } } }",
    "a long list of datetimes": "{ manyOdd { when blob } }",
}


@pytest.mark.parametrize("name", DOCUMENTS)
@pytest.mark.parametrize("on", [True, False])
async def test_the_direct_path_answers_like_the_generic_path(name: str, on: bool) -> None:
    # given a document and its variables
    # when both executors run it
    # then data and errors (message, path, locations) are the same
    await assert_answered_alike(DIRECT, GENERIC, DOCUMENTS[name], on)


async def test_plain_rows_take_the_direct_path_and_others_do_not() -> None:
    # given a count of objects completed directly
    CountingExecutor.direct = 0
    # when plain rows are read, then each row (and each nested object) went directly
    await DIRECT.execute("{ rows { id inner { n } maybe { n } } }")
    assert CountingExecutor.direct == 6 + 6 + 2
    # when a row has a resolver field, then the rows go the generic way (their nested
    # plain objects still go directly)
    CountingExecutor.direct = 0
    await DIRECT.execute("{ rows { doubled inner { n } } }")
    assert CountingExecutor.direct == 6
    # when a field has a permission class, then its objects never go directly
    CountingExecutor.direct = 0
    denied = await DIRECT.execute("{ guarded { secret } }")
    assert CountingExecutor.direct == 0
    assert denied.errors and denied.errors[0].message == "Not for you."


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The type name of each plan compiled while the test runs."""
    names: list[str] = []
    real = plain_executor.compile_plan

    def counting(plan: Any, *args: Any) -> Any:
        names.append(plan.type_name)
        return real(plan, *args)

    monkeypatch.setattr(plain_executor, "compile_plan", counting)
    return names


async def test_long_lists_are_completed_by_one_compiled_function(compiled: list[str]) -> None:
    # given a count of plans compiled
    # when a long list and a short one are read
    long = await DIRECT.execute("{ manyRows { id inner { n } } }")
    short = await DIRECT.execute("{ rows { id inner { n } } }")
    # then the long list's row plan and its nested plan were compiled once, the short not
    assert not long.errors and not short.errors
    assert sorted(compiled) == ["Inner", "Row"]


CACHED = strawberry.Schema(
    query=Query,
    execution_context_class=PlainDataExecutor,
    extensions=[lambda: ParserCache(maxsize=16)],
)


async def test_a_document_sent_again_reuses_its_compiled_plans(compiled: list[str]) -> None:
    # given a count of plans compiled, and a schema whose parser cache hands the same
    # document to each request that sends the same text
    document = "query Again { manyRows { id name inner { n note } } }"
    # when the same long list is asked for three times
    answers = [await CACHED.execute(document) for _ in range(3)]
    # then all three answer alike, and the plans were compiled by the first request only
    assert all(not answer.errors for answer in answers)
    assert answers[0].data == answers[1].data == answers[2].data
    assert sorted(compiled) == ["Inner", "Row"]


async def test_a_plan_is_not_reused_where_variables_choose_the_fields() -> None:
    # given a document whose fields depend on a variable, run once with the field included
    document = "query($on: Boolean!) { manyRows { id name @include(if: $on) inner { n } } }"
    first = await CACHED.execute(document, variable_values={"on": True})
    # when it is run again with the field left out
    second = await CACHED.execute(document, variable_values={"on": False})
    generic = await GENERIC.execute(document, variable_values={"on": False})
    # then the second answer is the generic path's, without the field
    assert first.data and "name" in first.data["manyRows"][0]
    assert second.data == generic.data
    assert second.data and "name" not in second.data["manyRows"][0]


async def test_a_document_sent_again_reuses_its_objects_plans(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a count of the plans made, and a document of single objects (no list)
    made: list[str] = []
    real = PlainDataExecutor._plan

    def counting(self: PlainDataExecutor, parent: Any, grouped: Any) -> Any:
        made.append(parent.name)
        return real(self, parent, grouped)

    monkeypatch.setattr(PlainDataExecutor, "_plan", counting)
    document = "query Once { oneRow { id colour inner { n } maybe { note } } }"
    # when it is asked for three times
    first = await CACHED.execute(document)
    after_first = list(made)
    again = [await CACHED.execute(document) for _ in range(2)]
    # then all three answer as the generic path does, and only the first made plans
    generic = await GENERIC.execute(document)
    assert all(a.data == generic.data and not a.errors for a in (first, *again))
    assert "Row" in after_first and made == after_first
