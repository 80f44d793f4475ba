"""Items of a keyed list are written once per key for a caller that takes results encoded:
the answer is the one the generic path gives, and only items not met before are written."""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import orjson
import pytest
import strawberry
from strawberry.extensions import ParserCache

from models.shared.keyed import Keyed
from schema.engine import plain_executor
from schema.engine.plain_executor import LONG_LIST, PlainDataExecutor
from schema.engine.projection import Projected
from schema.engine.written_items import WrittenItems
from tests.test_projection import ITEM, Item, Shade, Source

COUNT = LONG_LIST + 8
made: list[int] = []


def _source(key: object) -> Source:
    assert isinstance(key, tuple)
    n, label = key
    made.append(n)
    return Source(
        name=label, tone=Shade.DARK if n % 2 else Shade.LIGHT, n=n, note=None, has_spare=n % 3 > 0
    )


KEYS: list[tuple[int, str]] = [(i, f"item {i}") for i in range(COUNT)]


@strawberry.type
class Query:
    @strawberry.field
    def items(self, changed: int | None = None) -> Sequence[Item]:
        keys = list(KEYS)
        if changed is not None:
            keys[changed] = (changed, "changed")
        return Projected(ITEM, Keyed(keys, _source))


FAST = strawberry.Schema(
    query=Query, execution_context_class=PlainDataExecutor, extensions=[lambda: ParserCache()]
)
GENERIC = strawberry.Schema(query=Query)
DOCUMENT = """query($changed: Int) { items(changed: $changed) { code shade doubled
  part { size note mark { label } } spare { size mark { label } } } }"""


@pytest.fixture(autouse=True)
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plain_executor, "written_items", WrittenItems())
    made.clear()


async def _answer(schema: strawberry.Schema, encoded: bool, changed: int | None = None) -> Any:
    context = SimpleNamespace(encoded_answers=encoded)
    result = await schema.execute(DOCUMENT, {"changed": changed}, context_value=context)
    assert not result.errors
    return result.data


async def test_a_caller_taking_results_encoded_gets_the_generic_answer_encoded() -> None:
    # given a long keyed list
    # when a caller that takes results encoded reads it, and the generic path reads it
    fast = await _answer(FAST, encoded=True)
    generic = await _answer(GENERIC, encoded=True)
    # then each item is an encoded answer, and the answers encode to the same bytes
    assert all(isinstance(item, orjson.Fragment) for item in fast["items"])
    assert orjson.dumps(fast) == orjson.dumps(generic)


async def test_a_caller_taking_results_as_values_gets_plain_values() -> None:
    # when a caller that takes results as values reads the list
    fast = await _answer(FAST, encoded=False)
    # then the items are the generic path's values, and nothing was kept
    assert fast == await _answer(GENERIC, encoded=False)
    assert len(plain_executor.written_items) == 0


async def test_an_item_met_again_is_not_made_or_written_again() -> None:
    # given the list read once
    first = await _answer(FAST, encoded=True)
    made.clear()
    # when it is read again with one item's key changed
    again = await _answer(FAST, encoded=True, changed=5)
    # then only the changed item was made, and the answer is the generic path's
    assert made == [5]
    generic = await _answer(GENERIC, encoded=True, changed=5)
    assert orjson.dumps(again) == orjson.dumps(generic)
    assert orjson.dumps(again) != orjson.dumps(first)


def _written(kept: WrittenItems, keys: list[int], size: int = 10) -> list[bytes]:
    def write(n: Any) -> str:
        return str(n).rjust(size - 2, "x")

    return [orjson.dumps(f) for f in kept.encoded(write, Keyed(keys, lambda key: key))]


def test_kept_answers_stay_within_their_bytes() -> None:
    # given a store for three answers of 10 bytes
    kept = WrittenItems(max_bytes=30)
    # when five are written
    answers = _written(kept, [1, 2, 3, 4, 5])
    # then every answer is right, and what is kept never passes the bound
    assert answers == [orjson.dumps(str(n).rjust(8, "x")) for n in range(1, 6)]
    assert kept.bytes <= 30 and 0 < len(kept) <= 3


def test_kept_answers_stay_within_their_count() -> None:
    # given a store for two answers, however small
    kept = WrittenItems(max_items=2)
    # when five are written, and the last two again
    answers = _written(kept, [1, 2, 3, 4, 5]) + _written(kept, [4, 5])
    # then every answer is right, and no more than two are ever kept
    assert answers == [orjson.dumps(str(n).rjust(8, "x")) for n in (1, 2, 3, 4, 5, 4, 5)]
    assert 0 < len(kept) <= 2


def test_the_same_keys_made_into_other_sources_are_written_anew() -> None:
    # given a list written once
    kept = WrittenItems()

    def write(n: Any) -> Any:
        return n

    first = kept.encoded(write, Keyed([1, 2], lambda key: key))
    # when the same keys are made into other sources by another function
    other = kept.encoded(write, Keyed([1, 2], lambda key: -key))
    # then the other answers are the other sources'
    assert [orjson.dumps(f) for f in first] == [b"1", b"2"]
    assert [orjson.dumps(f) for f in other] == [b"-1", b"-2"]


def test_an_answer_larger_than_the_bound_is_given_and_not_kept() -> None:
    # given a store smaller than one answer
    kept = WrittenItems(max_bytes=5)
    # when it is written
    answers = _written(kept, [7])
    # then it is answered, and nothing is kept
    assert answers == [b'"xxxxxxx7"'] and len(kept) == 0 and kept.bytes == 0


def test_kept_answers_stay_within_their_lists() -> None:
    # given a store for answers of two lists
    kept = WrittenItems(max_lists=2)
    # when three lists are written, each by a writer of its own
    for n in range(3):
        kept.encoded(lambda value, n=n: value + n, Keyed([1, 2], lambda key: key))
    # then no more than two lists are ever kept
    assert len(kept._kept) <= 2 and 0 < len(kept) <= 4


def test_a_list_whose_first_item_fails_leaves_nothing_behind() -> None:
    # given a writer that fails on every item
    kept = WrittenItems()

    def write(_: Any) -> Any:
        raise ValueError("no")

    # when its list is written
    with pytest.raises(ValueError, match="no"):
        kept.encoded(write, Keyed([1], lambda key: key))
    # then nothing is kept for it, not even an empty list
    assert kept._kept == {} and len(kept) == 0


async def test_a_document_with_a_directive_is_written_without_keeping_its_items() -> None:
    # given a document with a directive (its plan is made for each request)
    document = "query($on: Boolean!) { items { code @include(if: $on) part { size } } }"
    context = SimpleNamespace(encoded_answers=True)
    # when a caller that takes results encoded reads it twice
    for _ in range(2):
        result = await FAST.execute(document, {"on": True}, context_value=context)
        assert not result.errors and result.data is not None
    # then the answers are values, as the generic path gives them, and nothing was kept
    generic = await GENERIC.execute(document, {"on": True}, context_value=context)
    assert result.data == generic.data
    assert len(plain_executor.written_items) == 0


def test_a_failing_write_keeps_nothing_for_its_key() -> None:
    # given a writer that fails on one key
    kept = WrittenItems()

    def write(n: Any) -> int:
        if n == 3:
            raise ValueError("no")
        return int(n)

    # when a list holding that key is written
    with pytest.raises(ValueError, match="no"):
        kept.encoded(write, Keyed([1, 2, 3], lambda key: key))
    # then what fails is raised, and its key is not kept
    assert len(kept) == 2
