"""Every command of the command line exits when its work is done, on the database of the
run (SQLite file or a fresh PostgreSQL database): each is run as its own process, with a
timeout, and its exit code and output checked."""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from iepimp.cli import build_parser
from tests.conftest import is_postgres
from tests.support.pgadmin import new_database_url, pg_admin

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 120
CYCLE = "2030-31"


@dataclass
class Cli:
    env: dict[str, str]
    tmp: Path

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "iepimp", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )

    def ok(self, *args: str) -> str:
        done = self.run(*args)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done.stdout

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "iepimp", *args],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )


@pytest.fixture
def cli(tmp_path: Path) -> Iterator[Cli]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IEPIMP_", "SMTP_"))}
    env["IEPIMP_MAIL_DIR"] = str(tmp_path / "mail")
    if not is_postgres():
        env["DATABASE_URL"] = f"sqlite://{tmp_path / 'db.sqlite3'}"
        yield Cli(env, tmp_path)
        return
    url, name = new_database_url("iepimp_cli")
    asyncio.run(pg_admin(f'CREATE DATABASE "{name}"'))
    env["DATABASE_URL"] = url
    env["IEPIMP_SECRET_KEY"] = "cli-exits-secret-key-0123456789abcdef"
    try:
        yield Cli(env, tmp_path)
    finally:
        asyncio.run(pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _served_then_stopped(server: subprocess.Popen[str], port: int) -> str:
    """Wait for the server's liveness probe, stop it with SIGTERM, return what it printed."""
    try:
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert server.poll() is None, server.communicate()[0]
                assert time.monotonic() < deadline
                time.sleep(0.3)
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    # uvicorn shuts down cleanly, then ends by the signal it was sent (as a shell expects)
    assert "Application shutdown complete." in output
    assert server.returncode in (0, -signal.SIGTERM), output
    return output


def test_serve_on_an_unmigrated_database_says_so_in_one_line(cli: Cli) -> None:
    # when the server is started on a database never migrated
    done = cli.run("serve", "--port", str(_port()))
    # then it stops at once with one line that says what to run, and no traceback
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert "run `iepimp migrate` first" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_every_command_exits_when_done(cli: Cli) -> None:
    tmp = cli.tmp
    # migrate exits, twice (the second finds nothing to do)
    assert "database is up to date" in cli.ok("migrate")
    assert "database is up to date" in cli.ok("migrate")
    assert "seeded:" in cli.ok("seed-demo", "--codes-out", str(tmp / "codes.json"))
    # a cycle of its own, from generated files to codes and exports
    assert "wrote 4 SELPAs" in cli.ok("generate", "--scale", "demo", "--out", str(tmp / "gen"))
    created = cli.ok(
        "create-cycle",
        "--name",
        CYCLE,
        "--window-start",
        "2031-03-03",
        "--window-end",
        "2031-04-30",
        "--due",
        "2031-06-30 23:59",
    )
    assert f"created cycle {CYCLE} (DRAFT)" in created
    assert "directory" in cli.ok(
        "import", "directory", "--cycle", CYCLE, str(tmp / "gen/directory.csv")
    )
    roster = cli.run("import", "roster", "--cycle", CYCLE, str(tmp / "gen/roster.csv"))
    assert roster.returncode == 0 and roster.stdout.startswith(f"roster {CYCLE}:")
    # output to a pipe: one summary line of the progress, not a bar
    assert re.fullmatch(
        r"roster \(check, then load: each row twice\): 7,998 row passes in [\d.]+ s \([\d,]+/s\)\n",
        roster.stderr,
    ), roster.stderr
    drawn = cli.ok("draw-sample", "--cycle", CYCLE, "--report", str(tmp / "sampling.csv"))
    assert drawn.startswith("drew ")
    issued = cli.ok("issue-codes", "--cycle", CYCLE, "--out", str(tmp / "codes.csv"))
    assert issued.startswith("issued ")
    assert len(cli.ok("issue-code", "--role", "CDE_ANALYST").strip().replace("-", "")) == 16
    for kind in ("leas", "report"):
        out = tmp / f"{kind}.csv"
        assert "rows of 2024-25" in cli.ok("export", kind, "--cycle", "2024-25", "--out", str(out))
    # the audit draw of a cycle not yet due is refused, and the process still ends
    early = cli.run("draw-audit", "--cycle", CYCLE)
    assert early.returncode == 2 and "iepimp:" in early.stderr
    assert "open cycle(s)" in cli.ok("send-reminders")
    assert cli.ok("deliver-mail", "--once").startswith("sent ")
    assert "wrote" in cli.ok("print-schema")
    assert cli.ok("--version").startswith("iepimp ")


def test_long_running_commands_stop_on_sigterm(cli: Cli) -> None:
    # given a migrated database
    cli.ok("migrate")
    # the server and the mail worker run until stopped, and stop cleanly when told
    port = _port()
    _served_then_stopped(cli.start("serve", "--port", str(port)), port)
    worker = cli.start("deliver-mail")
    assert worker.stdout is not None
    started = worker.stdout.readline()  # printed once the worker runs (and handles SIGTERM)
    assert f"delivering mail into {cli.tmp / 'mail'}/" in started
    time.sleep(1)
    assert worker.poll() is None
    worker.send_signal(signal.SIGTERM)
    output, _ = worker.communicate(timeout=60)
    assert worker.returncode == 0, started + output
    # the demo seeds, serves, says where its mail goes and stops cleanly too
    port = _port()
    env = dict(cli.env)
    env.pop("IEPIMP_MAIL_DIR")
    demo = Cli(env, cli.tmp).start("demo", "--port", str(port))
    output = _served_then_stopped(demo, port)
    assert "CDE_ADMIN" in output
    if not is_postgres():
        assert f"written to {cli.tmp / 'mail'}/" in output


def test_every_command_has_a_description() -> None:
    # given the parser of the command line
    parser = build_parser()
    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    # then every subcommand has a one-line summary and a description of its own
    summaries = {c.dest: c.help for c in groups[0]._choices_actions}
    assert len(summaries) >= 15
    for name, sub in groups[0].choices.items():
        assert summaries[name], name
        assert sub.description, name
