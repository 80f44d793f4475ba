"""The access log and HTTP metrics: one JSON line and one counter per request."""

from __future__ import annotations

import os
import re
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kernel.telemetry import REQUEST_ID, Telemetry, log_event

SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def _route_kind(path: str) -> str:
    for prefix in ("/graphql", "/exports", "/imports", "/healthz", "/readyz", "/metrics"):
        if path.startswith(prefix):
            return prefix.strip("/")
    return "other"


class RequestTelemetry:
    """Pure ASGI middleware: a request id per request (echoed as X-Request-Id) and one
    JSON access line with the route kind, status and duration (never the query string)."""

    def __init__(self, app: ASGIApp, telemetry: Telemetry) -> None:
        self.app = app
        self.telemetry = telemetry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if SAFE_REQUEST_ID.fullmatch(given) else os.urandom(16).hex()
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers") or [])
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            route = _route_kind(scope.get("path", ""))
            self.telemetry.child(self.telemetry.http, route, str(status)).inc()
            log_event(
                "http.request",
                method=scope.get("method"),
                route=route,
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
            )
            REQUEST_ID.reset(token)
