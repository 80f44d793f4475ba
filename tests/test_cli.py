"""The command line, run as a newcomer would: in a fresh process on a fresh SQLite file."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def iepimp(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IEPIMP_")}
    env["DATABASE_URL"] = f"sqlite://{tmp_path / 'db.sqlite3'}"
    return subprocess.run(
        [sys.executable, "-m", "iepimp", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def open_db(tmp_path: Path) -> Iterator[Callable[[], sqlite3.Connection]]:
    """Connections to the test's SQLite file, closed after the test."""
    opened: list[sqlite3.Connection] = []

    def connect() -> sqlite3.Connection:
        opened.append(sqlite3.connect(tmp_path / "db.sqlite3"))
        return opened[-1]

    yield connect
    for connection in opened:
        connection.close()


def test_seed_demo_twice_duplicates_nothing_and_writes_codes(
    tmp_path: Path, open_db: Callable[[], sqlite3.Connection]
) -> None:
    codes_file = tmp_path / "codes.json"
    first = iepimp(tmp_path, "seed-demo", "--codes-out", str(codes_file))
    assert first.returncode == 0, first.stderr
    codes = json.loads(codes_file.read_text())
    assert set(codes) == {"CDE_ADMIN", "CDE_ANALYST", "SELPA", "LEA"}
    assert len(codes["SELPA"]) == 3 and len(codes["LEA"]) == 11
    assert oct(codes_file.stat().st_mode & 0o777) == "0o600"
    db = open_db()
    tables = (
        "cycle",
        "lea",
        "lea_cycle",
        "roster_student",
        "sampled_student",
        "access_code",
        "submission",
        "submission_event",
    )
    before = {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}
    second = iepimp(tmp_path, "seed-demo", "--codes-out", str(codes_file))
    assert second.returncode == 0, second.stderr
    after = {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}
    assert before == after
    assert json.loads(codes_file.read_text()) == codes
    statuses = dict(db.execute("SELECT name, status FROM cycle").fetchall())
    assert statuses == {"2023-24": "CLOSED", "2024-25": "OPEN"}
    exempt = db.execute(
        "SELECT COUNT(*) FROM lea_cycle lc JOIN cycle c ON c.id = lc.cycle_id "
        "WHERE c.name = '2024-25' AND lc.required = 0"
    ).fetchone()[0]
    assert exempt == 1
    approved = db.execute(
        "SELECT COUNT(*) FROM submission s JOIN cycle c ON c.id = s.cycle_id "
        "WHERE c.name = '2023-24' AND s.status = 'APPROVED'"
    ).fetchone()[0]
    assert approved == 11


def test_create_cycle_and_refusals_name_the_option(
    tmp_path: Path, open_db: Callable[[], sqlite3.Connection]
) -> None:
    ok = iepimp(
        tmp_path,
        "create-cycle",
        "--name",
        "2027-28",
        "--window-start",
        "2028-03-02",
        "--window-end",
        "2028-04-30",
        "--due",
        "2028-06-30 23:59",
        "--reminder-days",
        "14,7,1",
        "--seed",
        "a-recorded-seed-for-2027-28",
    )
    assert ok.returncode == 0, ok.stderr
    assert "2028-06-30 23:59 PDT" in ok.stdout
    db = open_db()
    due, bands, seed = db.execute(
        "SELECT due_at, sample_bands, sampling_seed FROM cycle"
    ).fetchone()
    assert due.startswith("2028-07-01 06:59") or due.startswith("2028-07-01T06:59")
    assert json.loads(bands)[2] == {"min": 200, "max": 4999, "fixed": None, "percent": 10}
    assert seed == "a-recorded-seed-for-2027-28"
    twice = iepimp(
        tmp_path,
        "create-cycle",
        "--name",
        "2027-28",
        "--window-start",
        "2028-03-02",
        "--window-end",
        "2028-04-30",
        "--due",
        "2028-06-30 23:59",
    )
    assert twice.returncode == 2 and "--name" in twice.stderr
    bad = iepimp(
        tmp_path,
        "create-cycle",
        "--name",
        "2028-30",
        "--window-start",
        "2029-03-02",
        "--window-end",
        "2029-04-30",
        "--due",
        "2029-06-30 23:59",
    )
    assert bad.returncode == 2 and "--name" in bad.stderr


def test_issue_code_prints_a_code_once_and_refuses_bad_scope(
    tmp_path: Path, open_db: Callable[[], sqlite3.Connection]
) -> None:
    ok = iepimp(tmp_path, "issue-code", "--role", "CDE_ANALYST")
    assert ok.returncode == 0, ok.stderr
    code = ok.stdout.strip()
    assert len(code.replace("-", "")) == 16
    stored = open_db().execute("SELECT * FROM access_code").fetchall()
    assert code not in repr(stored) and code.replace("-", "") not in repr(stored)
    bad = iepimp(tmp_path, "issue-code", "--role", "LEA", "--cycle", "2024-25", "--scope", "1")
    assert bad.returncode == 2 and "--cycle" in bad.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"IEPIMP_ENV": "staging"}, "IEPIMP_ENV"),
        ({"IEPIMP_ENV": "production"}, "IEPIMP_SECRET_KEY"),
        ({"SMTP_SECURITY": "ssl"}, "SMTP_SECURITY"),
        ({"SMTP_PORT": "x"}, "SMTP_PORT"),
        ({"IEPIMP_TRUSTED_PROXIES": "10.0.0.300"}, "IEPIMP_TRUSTED_PROXIES"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
    ],
)
def test_bad_settings_fail_at_start_with_the_variable_named(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("IEPIMP_", "SMTP_"))}
    full["DATABASE_URL"] = f"sqlite://{tmp_path / 'db.sqlite3'}"
    full.update(env)
    result = subprocess.run(
        [sys.executable, "-m", "iepimp", "migrate"],
        cwd=ROOT,
        env=full,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert message in result.stderr


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_demo_serves_graphiql_and_answers_with_its_printed_codes(tmp_path: Path) -> None:
    import time
    import urllib.request

    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("IEPIMP_")}
    env["DATABASE_URL"] = f"sqlite://{tmp_path / 'db.sqlite3'}"
    server = subprocess.Popen(
        [sys.executable, "-m", "iepimp", "demo", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        page = urllib.request.Request(f"{base}/graphql", headers={"accept": "text/html"})
        with urllib.request.urlopen(page, timeout=5) as response:
            assert "graphiql" in response.read().decode().lower()
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    admin = next(line.split()[-1] for line in output.splitlines() if "CDE_ADMIN" in line)
    assert len(admin.replace("-", "")) == 16
    assert f"http://127.0.0.1:{port}/graphql" in output


def test_export_writes_owner_only_files_and_refuses_bad_options(tmp_path: Path) -> None:
    # given the seeded sandbox
    assert iepimp(tmp_path, "seed-demo").returncode == 0
    leas, students, report = tmp_path / "leas.csv", tmp_path / "s.csv", tmp_path / "r.csv"
    # when the LEA records, one LEA's students and a report are exported
    ok = [
        iepimp(tmp_path, "export", "leas", "--cycle", "2024-25", "--out", str(leas)),
        iepimp(
            tmp_path,
            "export",
            "students",
            "--cycle",
            "2024-25",
            "--lea",
            "19647330000000",
            "--out",
            str(students),
        ),
        iepimp(
            tmp_path,
            "export",
            "report",
            "--cycle",
            "2023-24",
            "--group-by",
            "SELPA",
            "--out",
            str(report),
        ),
    ]
    assert all(r.returncode == 0 for r in ok), [r.stderr for r in ok]
    # then each file is complete and readable by its owner only
    assert len(leas.read_text().splitlines()) == 1 + 12
    assert leas.read_text(encoding="utf-8-sig").startswith("cds_code,lea_name,selpa_code")
    # as Excel expects them: a byte-order mark and CRLF line ends
    for path in (leas, students, report):
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbfcds_code" if path is leas else b"\xef\xbb\xbf")
        assert data.count(b"\r\n") == data.count(b"\n") > 1
    assert len(students.read_text().splitlines()) == 1 + 124
    assert len(report.read_text().splitlines()) == 1 + 3
    for path in (leas, students, report):
        assert oct(path.stat().st_mode & 0o777) == "0o600"
    # and bad options are refused without creating a file
    again = iepimp(tmp_path, "export", "leas", "--cycle", "2024-25", "--out", str(leas))
    assert again.returncode == 2 and "--out" in again.stderr
    bad = iepimp(
        tmp_path,
        "export",
        "students",
        "--cycle",
        "2024-25",
        "--lea",
        "123",
        "--out",
        str(tmp_path / "x.csv"),
    )
    assert bad.returncode == 2 and "--lea" in bad.stderr
    assert not (tmp_path / "x.csv").exists()
