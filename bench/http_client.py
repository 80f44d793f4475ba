"""A small HTTP/1.1 keep-alive client for the benchmarks, cheaper per request than httpx.

One connection per instance; answers are read by ``Content-Length`` or chunked encoding.
``requests_per_second`` uses ``wrk`` when it is installed and otherwise many of these clients.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from typing import Any


class Http:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._reader is None or self._writer is None or self._writer.is_closing():
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        return self._reader, self._writer

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        reader, writer = await self._connect()
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        for name, value in (headers or {}).items():
            head.append(f"{name}: {value}")
        if body or method == "POST":
            head.append(f"Content-Length: {len(body)}")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        status_line = await reader.readline()
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

    async def post_json(
        self, path: str, document: dict[str, Any], headers: dict[str, str] | None = None
    ) -> dict[str, Any]:
        status, payload = await self.request(
            "POST",
            path,
            json.dumps(document).encode(),
            {"Content-Type": "application/json", **(headers or {})},
        )
        answer: dict[str, Any] = json.loads(payload)
        if status != 200 or answer.get("errors"):
            raise RuntimeError(f"{path} answered {status}: {payload[:300]!r}")
        return answer

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            await self._writer.wait_closed()
        self._reader = self._writer = None


WRK_LATENCY = re.compile(r"Requests/sec:\s+([\d.]+)")


def requests_per_second(
    host: str,
    port: int,
    path: str,
    *,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    seconds: float = 5.0,
    connections: int = 16,
    cpu: int | None = None,
) -> tuple[float, str]:
    """Throughput of one endpoint, and the tool that measured it."""
    if shutil.which("wrk"):
        return _wrk(host, port, path, body, headers or {}, seconds, connections, cpu), "wrk"
    return asyncio.run(_clients(host, port, path, body, headers or {}, seconds, connections)), (
        "asyncio clients"
    )


def _wrk(
    host: str,
    port: int,
    path: str,
    body: bytes,
    headers: dict[str, str],
    seconds: float,
    connections: int,
    cpu: int | None,
) -> float:
    lines = [f'wrk.method = "{"POST" if body else "GET"}"']
    if body:
        lines.append(f"wrk.body = {json.dumps(body.decode())}")
    for name, value in headers.items():
        lines.append(f'wrk.headers["{name}"] = {json.dumps(value)}')
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("\n".join(lines) + "\n")
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
    found = WRK_LATENCY.search(result.stdout)
    if found is None or "Non-2xx" in result.stdout:
        raise RuntimeError(f"wrk failed: {result.stdout}{result.stderr}")
    return float(found.group(1))


async def _clients(
    host: str,
    port: int,
    path: str,
    body: bytes,
    headers: dict[str, str],
    seconds: float,
    connections: int,
) -> float:
    method = "POST" if body else "GET"
    done = 0
    stop = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal done
        client = Http(host, port)
        while time.perf_counter() < stop:
            status, _ = await client.request(method, path, body, headers)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}")
            done += 1
        await client.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return done / (time.perf_counter() - started)
