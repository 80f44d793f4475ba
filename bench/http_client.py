"""A small HTTP/1.1 keep-alive client for the benchmarks, cheaper per request than httpx.

One connection per instance; answers are read by ``Content-Length`` or chunked encoding.
``requests_per_second`` uses ``wrk`` when it is installed and otherwise many of these clients
(slower than wrk: then the client, not the server, may be what limits the count).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from typing import Any


class Http:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, bool]:
        """The connection, and whether it was open already (kept alive from a request)."""
        if self._reader is None or self._writer is None or self._writer.is_closing():
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
            return self._reader, self._writer, False
        return self._reader, self._writer, True

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        """One request; sent again on a new connection if the server had closed the idle one
        (uvicorn and Node close a keep-alive connection after 5 s without a request)."""
        reader, writer, reused = await self._connect()
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        for name, value in (headers or {}).items():
            head.append(f"{name}: {value}")
        if body or method == "POST":
            head.append(f"Content-Length: {len(body)}")
        try:
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
            status_line = await reader.readline()
        except ConnectionResetError:
            status_line = b""
        if not status_line:
            await self.close()
            if reused:
                return await self.request(method, path, body, headers)
            raise ConnectionError(f"{self.host}:{self.port} closed the connection unanswered")
        status = int(status_line.split()[1])
        length, chunked, closing = None, False, False
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
            elif name == "connection" and value.lower() == "close":
                closing = True
        if chunked:
            parts = []
            while True:
                size = int((await reader.readline()).split(b";")[0], 16)
                if size == 0:
                    await reader.readline()
                    break
                parts.append(await reader.readexactly(size))
                await reader.readline()
            payload = b"".join(parts)
        else:
            payload = await reader.readexactly(length or 0)
        if closing:
            await self.close()
        return status, payload

    async def graphql(
        self, path: str, document: dict[str, Any], headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, Any]]:
        """The status and the decoded answer, errors included."""
        status, payload = await self.request(
            "POST",
            path,
            json.dumps(document).encode(),
            {"Content-Type": "application/json", **(headers or {})},
        )
        answer: dict[str, Any] = json.loads(payload)
        return status, answer

    async def post_json(
        self, path: str, document: dict[str, Any], headers: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """The answer of a request that must succeed (status 200, no errors)."""
        status, answer = await self.graphql(path, document, headers)
        if status != 200 or answer.get("errors"):
            raise RuntimeError(f"{path} answered {status}: {json.dumps(answer)[:300]}")
        return answer

    async def post_ok(
        self, path: str, document: dict[str, Any], headers: dict[str, str] | None = None
    ) -> bytes:
        """The undecoded body of a POST that must answer 200: what timed requests use, so the
        client's own JSON decoding is not counted as the server's time (answers are checked
        decoded, once, before timing)."""
        status, payload = await self.request(
            "POST",
            path,
            json.dumps(document).encode(),
            {"Content-Type": "application/json", **(headers or {})},
        )
        if status != 200:
            raise RuntimeError(f"{path} answered {status}: {payload[:300]!r}")
        return payload

    async def get_ok(self, path: str, headers: dict[str, str] | None = None) -> bytes:
        """The body of a GET that must answer 200."""
        status, payload = await self.request("GET", path, b"", headers)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}: {payload[:300]!r}")
        return payload

    async def close(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()


@dataclass(frozen=True)
class Load:
    """What a closed-loop load run measured: throughput and request latency."""

    per_second: float
    p50_ms: float
    p95_ms: float
    tool: str


WRK_DONE = """
done = function(summary, latency, requests)
  io.write(string.format("bench %f %f %f\\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""
WRK_LINE = re.compile(r"^bench ([\d.]+) ([\d.]+) ([\d.]+)$", re.MULTILINE)


async def requests_per_second(
    host: str,
    port: int,
    path: str,
    *,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    seconds: float = 5.0,
    connections: int = 16,
    cpu: int | None = None,
) -> Load:
    """Throughput and latency of one endpoint under ``connections`` closed-loop clients: wrk
    pinned to ``cpu``, else asyncio clients in this process (where it runs)."""
    if shutil.which("wrk"):
        return await asyncio.to_thread(
            _wrk, host, port, path, body, headers or {}, seconds, connections, cpu
        )
    return await _clients(host, port, path, body, headers or {}, seconds, connections)


def _wrk(
    host: str,
    port: int,
    path: str,
    body: bytes,
    headers: dict[str, str],
    seconds: float,
    connections: int,
    cpu: int | None,
) -> Load:
    lines = [f'wrk.method = "{"POST" if body else "GET"}"']
    if body:
        lines.append(f"wrk.body = {json.dumps(body.decode())}")
    for name, value in headers.items():
        lines.append(f'wrk.headers["{name}"] = {json.dumps(value)}')
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("\n".join(lines) + "\n" + WRK_DONE)
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "-s",
        script.name,
        f"http://{host}:{port}{path}",
    ]
    try:
        result = subprocess.run(  # noqa: S603 - a fixed tool on loopback
            command,
            capture_output=True,
            text=True,
            check=True,
            preexec_fn=(lambda: os.sched_setaffinity(0, {cpu})) if cpu is not None else None,
        )
    finally:
        os.unlink(script.name)
    found = WRK_LINE.search(result.stdout)
    if found is None or "Non-2xx" in result.stdout or "Socket errors" in result.stdout:
        raise RuntimeError(f"wrk failed: {result.stdout}{result.stderr}")
    rate, p50, p95 = (float(part) for part in found.groups())
    return Load(rate, p50, p95, "wrk")


async def _clients(
    host: str,
    port: int,
    path: str,
    body: bytes,
    headers: dict[str, str],
    seconds: float,
    connections: int,
) -> Load:
    method = "POST" if body else "GET"
    latencies: list[float] = []
    stop = time.perf_counter() + seconds

    async def worker() -> None:
        client = Http(host, port)
        while time.perf_counter() < stop:
            sent = time.perf_counter()
            status, _ = await client.request(method, path, body, headers)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}")
            latencies.append(time.perf_counter() - sent)
        await client.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    ordered = sorted(latencies)
    return Load(
        len(ordered) / (time.perf_counter() - started),
        ordered[len(ordered) // 2] * 1000,
        ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000,
        "asyncio clients",
    )
