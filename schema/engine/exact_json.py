"""JSON bytes to keep: orjson's encoding, held in a bytes object of its own length."""

from __future__ import annotations

from typing import Any

import orjson


def exact_dumps(value: Any) -> bytes:
    """``orjson.dumps(value)`` copied into a bytes object of exactly its length: orjson leaves
    its output in the buffer it grew (4 KiB at least, and often several times the text), which
    an answer kept for later would otherwise hold for as long as it is kept."""
    return bytes(memoryview(orjson.dumps(value)))
