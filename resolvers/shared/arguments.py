"""Validation of query and mutation arguments; a bad one raises ``InvalidInput`` naming it."""

from __future__ import annotations

import base64
import binascii

from kernel.errors import InvalidInput
from models.shared import identifiers as formats

DEFAULT_PAGE_SIZE = 100
"""Items a page holds when ``first`` is omitted."""
ROWS_PAGE_SIZE = 500
"""Worksheet rows a page holds when ``first`` is omitted."""
MAX_PAGE_SIZE = 10_000
"""The largest ``first`` any list accepts; within it, a request is bounded by its query cost."""


def _well_formed(value: str, field: str, problem: str | None) -> str:
    if problem is not None:
        raise InvalidInput(field, formats.field_message(field, problem))
    return value


def cds_code(value: str, field: str = "cdsCode") -> str:
    return _well_formed(value, field, formats.cds_code_problem(value))


def selpa_code(value: str, field: str = "code") -> str:
    return _well_formed(value, field, formats.selpa_code_problem(value))


def ssid(value: str, field: str = "ssid") -> str:
    return _well_formed(value, field, formats.ssid_problem(value))


def cycle_name(value: str, field: str = "cycle") -> str:
    return _well_formed(value, field, formats.cycle_name_problem(value))


def page_size(first: int | None, default: int = DEFAULT_PAGE_SIZE) -> int:
    """The page size ``first`` asks for (``default`` when omitted), 1 to ``MAX_PAGE_SIZE``."""
    if first is None:
        return default
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise InvalidInput("first", f"first must be between 1 and {MAX_PAGE_SIZE}.")
    return first


def _row_id(key: str) -> bool:
    return formats.is_ascii_digits(key) and len(key) <= 18


CURSOR_KEYS = {"lea": formats.is_cds_code, "student": formats.is_ssid}
"""What the key inside each kind of cursor looks like; any other kind holds a row id."""


def encode_cursor(kind: str, key: str) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{key}".encode()).decode("ascii")


def decode_cursor(kind: str, cursor: str | None, field: str = "after") -> str | None:
    """The key inside a cursor made by ``encode_cursor(kind, …)``; anything else is refused."""
    if cursor is None:
        return None
    if len(cursor) > 400:
        raise InvalidInput(field, f"{field} is not a cursor this list gave out.")
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        raise InvalidInput(field, f"{field} is not a cursor this list gave out.") from None
    prefix, _, key = text.partition(":")
    if prefix != kind or not key or not CURSOR_KEYS.get(kind, _row_id)(key):
        raise InvalidInput(field, f"{field} is not a cursor this list gave out.")
    return key


def search_text(value: str | None, field: str = "search") -> str | None:
    if value is None:
        return None
    value = value.strip()
    if len(value) > 100:
        raise InvalidInput(field, f"{field} must be at most 100 characters.")
    return value or None
