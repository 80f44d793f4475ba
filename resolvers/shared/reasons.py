"""The free-text reason of a rejection or a reopening."""

from __future__ import annotations

from kernel.errors import ErrorCode, UserErrorData, user_error

MAX_REASON = 2000


def reason_error(reason: str | None, *, required: bool) -> UserErrorData | None:
    text = (reason or "").strip()
    if (required and not text) or len(text) > MAX_REASON:
        return user_error(
            ErrorCode.INVALID_INPUT,
            f"Give a reason of 1 to {MAX_REASON} characters.",
            "input",
            "reason",
        )
    return None


def clean(reason: str | None) -> str | None:
    return (reason or "").strip() or None
