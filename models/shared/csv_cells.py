"""CSV cells that a spreadsheet program will not run as a formula."""

from __future__ import annotations

BOM = "\ufeff"
"""Leads every CSV file written, so that Excel reads it as UTF-8."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """The cell's text, behind a ``'`` when it would start a formula (``=``, ``+``, ``-``, …)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
