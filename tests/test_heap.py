"""A server process settles its heap once started."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from iepimp.app import settle_heap
from kernel.settings import SettingsError, load_settings


@pytest.fixture
def heap() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_what_the_start_made_is_kept_out_of_collections(heap: None) -> None:
    # given a process with objects made at start
    # when the heap is settled
    settle_heap(20_000)
    # then those objects are frozen: collections no longer walk them
    assert gc.get_freeze_count() > 10_000


def test_the_youngest_objects_are_collected_after_the_configured_count(heap: None) -> None:
    # given the collector's thresholds as Python sets them
    _, middle, old = gc.get_threshold()
    # when the heap is settled with the configured threshold
    settle_heap(load_settings({"IEPIMP_GC_YOUNG_THRESHOLD": "50000"}).gc_young_threshold)
    # then the youngest generation waits for that many objects; the older ones are as they were
    assert gc.get_threshold() == (50_000, middle, old)


def test_the_threshold_defaults_to_twenty_thousand_and_refuses_what_is_out_of_range() -> None:
    # given no setting, then the default; given one out of range, then a refusal naming it
    assert load_settings({}).gc_young_threshold == 20_000
    for wrong in ("0", "99", "many"):
        with pytest.raises(SettingsError, match="IEPIMP_GC_YOUNG_THRESHOLD"):
            load_settings({"IEPIMP_GC_YOUNG_THRESHOLD": wrong})
