"""A real ``iepimp serve`` (uvicorn) on 127.0.0.1 and a free port, over a migrated SQLite file."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.factories import SECRET

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(folder: Path, **env: str) -> Iterator[str]:
    """Serve until the block ends; yield the base URL."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("IEPIMP_")}
    environment.update(
        DATABASE_URL=f"sqlite://{folder / 'live.sqlite3'}",
        IEPIMP_SECRET_KEY=SECRET,
        IEPIMP_MAIL_WORKER="off",
        **env,
    )
    command = [sys.executable, "-m", "iepimp"]
    subprocess.run([*command, "migrate"], cwd=ROOT, env=environment, check=True, timeout=120)
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(
        [*command, "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
