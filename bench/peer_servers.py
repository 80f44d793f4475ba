"""Start and stop the servers a benchmark compares, each pinned to its cores."""

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


Cpus = int | set[int]


class Server:
    """A child process serving HTTP on 127.0.0.1:``port``, pinned to ``cpus``; what it logs goes
    to a temporary file (a pipe nobody reads would stall it once full), read by ``log_tail``."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], cpus: Cpus) -> None:
        self.name = name
        self.port = free_port()
        self._command = [part.replace("{port}", str(self.port)) for part in command]
        self._env = env
        self.cpus = {cpus} if isinstance(cpus, int) else set(cpus)
        self._process: subprocess.Popen[bytes] | None = None
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in __exit__

    @property
    def pid(self) -> int:
        assert self._process is not None, f"{self.name} is not running"
        return self._process.pid

    def log_tail(self, size: int = 2000) -> str:
        """The last ``size`` characters the server wrote to stderr."""
        self._log.seek(0)
        return self._log.read().decode(errors="replace")[-size:]

    def __enter__(self) -> Server:
        cpus = self.cpus
        self._process = subprocess.Popen(  # noqa: S603 - our own commands on loopback
            self._command,
            env=self._env,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
            preexec_fn=lambda: os.sched_setaffinity(0, cpus),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log_tail()}")
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


def uvicorn(name: str, app: str, env: dict[str, str], cpus: Cpus, workers: int = 1) -> Server:
    command = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", "{port}"]
    command += ["--loop", "uvloop", "--http", "httptools", "--no-access-log", "--no-proxy-headers"]
    command += ["--log-level"]
    command += ["warning", "--workers", str(workers)] if workers > 1 else ["warning"]
    return Server(name, command, env, cpus)


def postgraphile(dsn: str, env: dict[str, str], cpus: Cpus) -> Server:
    binary = PEERS / "node_modules" / ".bin" / "postgraphile"
    if not binary.exists():
        npm = ["npm", "ci", "--no-audit", "--no-fund", "--silent"]
        subprocess.run(npm, cwd=PEERS, check=True)  # noqa: S603 - npm, package registry
    command = [str(binary), "-c", dsn, "--schema", "public", "--dynamic-json"]
    command += ["--host", "127.0.0.1", "--port", "{port}", "--disable-query-log"]
    return Server("PostGraphile", command, env, cpus)


def _family(pid: int) -> list[int]:
    """``pid`` and every process below it (uvicorn's workers under its supervisor)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            todo += [int(child) for child in task.read_text().split()]
    return found


def _status_kb(pid: int, key: str) -> int:
    for row in Path(f"/proc/{pid}/status").read_text().splitlines():
        if row.startswith(key + ":"):
            return int(row.split()[1])
    raise RuntimeError(f"no {key} for process {pid}")


def reset_peak_rss(pid: int) -> bool:
    """Start the peak-RSS mark (VmHWM) of ``pid`` and its children afresh; False where the
    kernel refuses (then the peak counts from each process's start)."""
    try:
        for member in _family(pid):
            Path(f"/proc/{member}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_rss_mb(pid: int) -> float:
    """VmHWM of ``pid`` plus its children, in MiB (for one process, its own peak)."""
    return sum(_status_kb(member, "VmHWM") for member in _family(pid)) / 1024
