"""A cookie-keeping browser stand-in for the portal's server-rendered forms (no JavaScript)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import httpx
from starlette.applications import Starlette

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SUMMARY = re.compile(r'<div class="usa-alert usa-alert--error".*?</ul>', re.S)
LINKED = re.compile(r'<li><a href="#([^"]*)">(.*?)</a></li>')


@dataclass
class PortalClient:
    app: Starlette
    cookies: httpx.Cookies = field(default_factory=httpx.Cookies)
    last_html: str = ""
    redirects: list[httpx.Response] = field(default_factory=list)

    def http(self) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.app, client=("127.0.0.1", 50001))
        return httpx.AsyncClient(
            transport=transport, base_url="http://testserver", cookies=self.cookies
        )

    async def get(self, path: str) -> httpx.Response:
        async with self.http() as client:
            response = await self._follow(client, await client.get(path))
        self.last_html = response.text
        return response

    async def _follow(self, client: httpx.AsyncClient, response: httpx.Response) -> httpx.Response:
        self.redirects = []
        self.cookies = httpx.Cookies(client.cookies)
        for _ in range(5):
            if response.status_code not in (302, 303, 307):
                break
            self.redirects.append(response)
            response = await client.get(response.headers["location"])
            self.cookies = httpx.Cookies(client.cookies)
        return response

    async def post(self, path: str, data: dict[str, str], *, csrf: bool = True) -> httpx.Response:
        form = dict(data)
        if csrf:
            form.setdefault("csrf_token", self.csrf())
        async with self.http() as client:
            response = await self._follow(client, await client.post(path, data=form))
        self.last_html = response.text
        return response

    async def upload(self, path: str, name: str, data: bytes) -> httpx.Response:
        """Send a file the way a plain HTML file input does (multipart/form-data)."""
        form = {"csrf_token": self.csrf()}
        async with self.http() as client:
            sent = await client.post(path, data=form, files={"file": (name, data, "text/csv")})
            response = await self._follow(client, sent)
        self.last_html = response.text
        return response

    def csrf(self) -> str:
        match = CSRF.search(self.last_html)
        assert match, "the page has no form with a CSRF token"
        return match.group(1)

    async def sign_in(self, code: str) -> httpx.Response:
        await self.get("/")
        return await self.post("/signin", {"accessCode": code})


def error_summary(page: str) -> list[tuple[str, str]]:
    """(field id, message) of each linked entry of the page's error summary."""
    block = SUMMARY.search(page)
    found = LINKED.findall(block.group(0)) if block else []
    return [(html.unescape(field), html.unescape(message)) for field, message in found]
