"""The session cookie (it holds the same token as a bearer token) and the CSRF token bound to it."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response

SESSION_COOKIE = "iepimp_session"
CSRF_COOKIE = "iepimp_csrf"
CSRF_FIELD = "csrf_token"


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def csrf_seed(request: Request) -> tuple[str, bool]:
    """The browser's CSRF seed, and whether it is new (then it must be set as a cookie)."""
    seed = request.cookies.get(CSRF_COOKIE, "")
    if len(seed) == 43:
        return seed, False
    return secrets.token_urlsafe(32), True


def csrf_token(secret_key: str, seed: str, session: str) -> str:
    """The form token: bound to the browser's seed and to its session, so neither is enough."""
    message = f"csrf|{seed}|{session}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def csrf_valid(request: Request, secret_key: str, submitted: str) -> bool:
    seed = request.cookies.get(CSRF_COOKIE, "")
    if len(seed) != 43 or not submitted:
        return False
    expected = csrf_token(secret_key, seed, request.cookies.get(SESSION_COOKIE, ""))
    return hmac.compare_digest(expected, submitted)


def set_csrf_seed(request: Request, response: Response, seed: str) -> None:
    response.set_cookie(
        CSRF_COOKIE, seed, httponly=True, samesite="strict", secure=_secure(request), path="/"
    )


def start_session(
    request: Request, response: Response, token: str, expires_at: datetime, now: datetime
) -> None:
    """Hand the browser its token (HttpOnly, SameSite=Strict, Secure behind TLS), kept no longer
    than the session's absolute lifetime."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=max(1, int((expires_at - now).total_seconds())),
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path="/",
    )


def end_session(request: Request, response: Response) -> None:
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, samesite="strict", secure=_secure(request), path="/"
    )
