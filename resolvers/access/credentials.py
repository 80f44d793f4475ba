"""Access codes and bearer tokens: generated at random, stored only as keyed hashes (SPEC §5)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
"""31 symbols: no 0/O, 1/I/L look-alikes."""
CODE_LENGTH = 16
"""16 symbols of 31 ≈ 79 bits of entropy."""


def new_access_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalize_access_code(value: str) -> str | None:
    """The code's symbols without separators, upper-cased; None when it cannot be a code."""
    if len(value) > 64:
        return None
    cleaned = "".join(ch for ch in value.upper() if ch not in "- ")
    if len(cleaned) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in cleaned):
        return None
    return cleaned


def hash_access_code(secret_key: str, normalized_code: str) -> str:
    return _keyed(secret_key, "access-code", normalized_code)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(secret_key: str, token: str) -> str:
    return _keyed(secret_key, "session-token", token)


def _keyed(secret_key: str, purpose: str, value: str) -> str:
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(secret_key.encode("utf-8"), message, hashlib.sha256).hexdigest()
