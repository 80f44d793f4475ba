"""What any text argument may hold, whatever its field: no control characters (tabs and line
breaks only in free-text fields), no lone surrogates, and a bounded length. Field-specific
limits (a name's 200 characters, a reason's 2,000) stay with their use cases."""

from __future__ import annotations

import re

MAX_TEXT = 4000
MULTILINE_FIELDS = frozenset({"reason", "certificationText"})

_SINGLE_LINE_BAD = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_MULTILINE_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def text_problem(value: str, field: str) -> str | None:
    """Why ``value`` cannot be the text of ``field``, or None."""
    if len(value) > MAX_TEXT:
        return f"{field} must be at most {MAX_TEXT} characters."
    pattern = _MULTILINE_BAD if field in MULTILINE_FIELDS else _SINGLE_LINE_BAD
    found = pattern.search(value)
    if found is None:
        return None
    char = found.group()
    if "\ud800" <= char <= "\udfff":
        return f"{field} holds a broken character (a lone surrogate)."
    return f"{field} must not hold control characters (found U+{ord(char):04X})."
