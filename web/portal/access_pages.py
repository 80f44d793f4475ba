"""Logon, sign-out and the start page, which sends each role to its overview."""

from __future__ import annotations

import contextlib
from datetime import datetime
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from web.portal.client import Client, SignInRequired
from web.portal.rendering import Renderer, error_items, first, redirect
from web.portal.session import SESSION_COOKIE, end_session, start_session


def home_url(viewer: dict[str, object] | None) -> str:
    """The overview of the signed-in role."""
    if not viewer:
        return "/"
    cycle = (viewer.get("cycle") or {}).get("name", "")  # type: ignore[attr-defined]
    role = viewer.get("role")
    if role == "LEA":
        return f"/lea/{cycle}/{viewer['lea']['cdsCode']}"  # type: ignore[index]
    if role == "SELPA":
        return f"/selpa/{cycle}/{viewer['selpa']['code']}"  # type: ignore[index]
    return "/cde"


class AccessPages:
    def __init__(self, client: Client, renderer: Renderer) -> None:
        self.client = client
        self.renderer = renderer

    async def home(self, request: Request) -> Response:
        if request.cookies.get(SESSION_COOKIE):
            try:
                answer = await self.client.run(request, "Viewer")
            except SignInRequired:
                answer = None
            if answer and answer.data.get("viewer"):
                notice = request.query_params.get("notice", "")[:200]
                suffix = f"?{urlencode({'notice': notice})}" if notice else ""
                return redirect(home_url(answer.data["viewer"]) + suffix)
        return self.signin_page(request)

    def signin_page(self, request: Request, errors: list[dict[str, str]] | None = None) -> Response:
        response = self.renderer.page(
            request,
            "signin.html",
            title="User Logon",
            errors=errors or [],
            signed_in=False,
            status_code=400 if errors else 200,
        )
        if request.cookies.get(SESSION_COOKIE):
            end_session(request, response)
        return response

    async def signin(self, request: Request) -> Response:
        fields = await self.renderer.form(request)
        if fields is None:
            return self.renderer.refused(request)
        answer = await self.client.run(
            request, "SignIn", {"accessCode": first(fields, "accessCode")}, token=""
        )
        if answer.errors:
            return self.signin_page(
                request, [{"id": "accessCode", "message": e["message"]} for e in answer.errors]
            )
        payload = answer.data["login"]
        if payload["userErrors"]:
            return self.signin_page(request, error_items(payload["userErrors"]))
        response = redirect(home_url(payload["viewer"]))
        start_session(
            request,
            response,
            payload["token"],
            datetime.fromisoformat(payload["expiresAt"]),
            self.client.clock(),
        )
        return response

    async def signout(self, request: Request) -> Response:
        fields = await self.renderer.form(request)
        if fields is None:
            return self.renderer.refused(request)
        with contextlib.suppress(SignInRequired):
            await self.client.run(request, "SignOut")
        response = redirect("/")
        end_session(request, response)
        return response
