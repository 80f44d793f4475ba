"""The real application under uvicorn on 127.0.0.1, on a seeded demo database in a temp folder."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class LiveServer:
    url: str
    codes: dict[str, Any]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_demo(folder: Path) -> Iterator[LiveServer]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite://{folder / 'demo.sqlite3'}",
        "IEPIMP_SECRET_KEY": "browser-test-secret-0123456789abcdef",
        "IEPIMP_MAIL_WORKER": "false",
        "IEPIMP_ENV": "development",
    }
    codes_file = folder / "codes.json"
    iepimp = [sys.executable, "-m", "iepimp"]
    subprocess.run(
        [*iepimp, "seed-demo", "--codes-out", str(codes_file)],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    port = free_port()
    log = (folder / "server.log").open("wb")
    server = subprocess.Popen(
        [*iepimp, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the server did not start")
        yield LiveServer(url=url, codes=json.loads(codes_file.read_text()))
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
