"""Kept JSON answers hold the memory of their length, not of the buffer orjson grew."""

from __future__ import annotations

import tracemalloc

import orjson

from models.shared.keyed import Keyed
from schema.engine.exact_json import exact_dumps
from schema.engine.report_answers import ReportAnswers
from schema.engine.written_items import WrittenItems

ROW = {"key": "36000000000001", "label": "Synthetic LEA", "note": "x" * 800}


def _held(make: object, count: int = 200) -> float:
    """Bytes allocated per value kept, of ``count`` values ``make`` makes."""
    assert callable(make)
    tracemalloc.start()
    try:
        kept = [make(i) for i in range(count)]
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(kept) == count
    return held / count


def test_an_exact_encoding_is_orjsons_in_its_own_length() -> None:
    # given a row of about 850 bytes of JSON
    encoded = orjson.dumps(ROW)
    # when it is encoded exactly
    # then the bytes are orjson's, and each kept one holds little more than its length
    assert exact_dumps(ROW) == encoded
    assert _held(lambda i: exact_dumps({**ROW, "n": i})) < 1.25 * len(encoded)


def test_kept_items_and_stored_answers_hold_about_their_length() -> None:
    # given a store of item answers and a store of report answers
    items = WrittenItems()
    answers = ReportAnswers(max_entries=1000, max_bytes=2**30)
    length = len(orjson.dumps(ROW))

    def keep_item(i: int) -> object:
        return items.encoded(lambda row: {**row, "n": i}, Keyed([i], lambda _: ROW))

    def store_answer(i: int) -> object:
        return answers.put(("q", "", str(i), ()), "token", {**ROW, "n": i})

    # when many are kept
    # then each holds about its length (orjson's own buffer is 4 KiB or more)
    assert _held(keep_item) < 1.6 * length + 700
    assert _held(store_answer) < 1.6 * length + 700
