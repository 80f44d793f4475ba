"""A server process settles its heap once started."""

from __future__ import annotations

import gc

from iepimp.app import settle_heap


def test_what_the_start_made_is_kept_out_of_collections() -> None:
    # given a process with objects made at start
    try:
        # when the heap is settled
        settle_heap()
        # then those objects are frozen: collections no longer walk them
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
