"""Start and stop the servers a benchmark compares, each pinned to one core."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PEERS = Path(__file__).with_name("peers")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    """A child process serving HTTP on 127.0.0.1:``port``, pinned to ``cpu``; what it logs goes
    to a temporary file (a pipe nobody reads would stall it once full)."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], cpu: int) -> None:
        self.name = name
        self.port = free_port()
        self._command = [part.replace("{port}", str(self.port)) for part in command]
        self._env = env
        self._cpu = cpu
        self._process: subprocess.Popen[bytes] | None = None
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in __exit__

    def __enter__(self) -> Server:
        cpu = self._cpu
        self._process = subprocess.Popen(  # noqa: S603 - our own commands on loopback
            self._command,
            env=self._env,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
            preexec_fn=lambda: os.sched_setaffinity(0, {cpu}),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self._log.seek(0)
                error = self._log.read().decode(errors="replace")
                raise RuntimeError(f"{self.name} exited: {error[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not listen on {self.port}")

    def __exit__(self, *_: object) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._log.close()


def uvicorn(name: str, app: str, env: dict[str, str], cpu: int) -> Server:
    command = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", "{port}"]
    command += ["--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level"]
    return Server(name, [*command, "warning"], env, cpu)


def postgraphile(dsn: str, env: dict[str, str], cpu: int) -> Server:
    binary = PEERS / "node_modules" / ".bin" / "postgraphile"
    if not binary.exists():
        npm = ["npm", "ci", "--no-audit", "--no-fund", "--silent"]
        subprocess.run(npm, cwd=PEERS, check=True)  # noqa: S603 - npm, package registry
    command = [str(binary), "-c", dsn, "--schema", "public", "--dynamic-json"]
    command += ["--host", "127.0.0.1", "--port", "{port}", "--disable-query-log"]
    return Server("PostGraphile", command, env, cpu)
