"""HTTP clients for the GraphQL endpoint, one per role in the tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
from starlette.applications import Starlette


@dataclass
class GraphQLResponse:
    status: int
    body: dict[str, Any]

    @property
    def data(self) -> dict[str, Any]:
        return self.body.get("data") or {}

    @property
    def errors(self) -> list[dict[str, Any]]:
        return list(self.body.get("errors") or [])

    @property
    def codes(self) -> list[str]:
        return [e.get("extensions", {}).get("code", "") for e in self.errors]


@dataclass
class GraphQLClient:
    app: Starlette
    token: str | None = None
    client_address: str = "127.0.0.1"
    headers: dict[str, str] = field(default_factory=dict)

    def http(self) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.app, client=(self.client_address, 50000))
        headers = dict(self.headers)
        if self.token is not None:
            headers["authorization"] = f"Bearer {self.token}"
        return httpx.AsyncClient(transport=transport, base_url="http://testserver", headers=headers)

    async def post(self, body: Any) -> GraphQLResponse:
        async with self.http() as client:
            response = await client.post("/graphql", json=body)
        return GraphQLResponse(response.status_code, response.json())

    async def execute(self, query: str, **variables: Any) -> GraphQLResponse:
        return await self.post({"query": query, "variables": variables})

    async def login(self, access_code: str) -> GraphQLResponse:
        result = await self.execute(
            "mutation($c: String!) { login(accessCode: $c) "
            "{ token expiresAt viewer { role } userErrors { field code message } } }",
            c=access_code,
        )
        token = (result.data.get("login") or {}).get("token")
        if token:
            self.token = token
        return result
