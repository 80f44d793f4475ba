"""``iepimp publish CYCLE [--dry-run]`` on the sandbox, attacked with its own sample sizes."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.support.interval_attacker import unprotected
from tests.test_cli import iepimp


def test_dry_run_prints_the_audit_and_publishing_stores_it(tmp_path: Path) -> None:
    # given the sandbox
    assert iepimp(tmp_path, "seed-demo").returncode == 0
    db = sqlite3.connect(tmp_path / "db.sqlite3")
    # when CDE runs a dry run
    dry = iepimp(tmp_path, "publish", "2023-24", "--dry-run")
    # then the audit is printed per grouping and nothing is published
    assert dry.returncode == 0, dry.stderr
    assert [line.split()[0] for line in dry.stdout.splitlines()[1:5]] == [
        "STATE", "COUNTY", "SELPA", "LEA",
    ]  # fmt: skip
    assert "not published" in dry.stdout
    assert db.execute("SELECT COUNT(*) FROM published_report").fetchone()[0] == 0
    # when CDE publishes
    done = iepimp(tmp_path, "publish", "2023-24")
    # then the same audit is printed and stored with the snapshot
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:5] == dry.stdout.splitlines()[:5]
    snapshot, audit = db.execute("SELECT snapshot, audit FROM published_report").fetchone()
    snapshot, audit = json.loads(snapshot), json.loads(audit)
    assert set(audit["groupings"]) == {"STATE", "COUNTY", "SELPA", "LEA"}
    # and the sandbox's exempt LEA is shown as exempt, and no small count of the sandbox can
    # be narrowed by an attacker who knows every reported LEA's sample size
    sizes = dict(
        db.execute(
            "SELECT l.cds_code, lc.sample_size FROM lea_cycle lc JOIN lea l ON l.id = lc.lea_id "
            "JOIN cycle c ON c.id = lc.cycle_id WHERE c.name = '2023-24'"
        ).fetchall()
    )
    statuses = {r["key"]: r["status"] for r in snapshot["groupings"]["LEA"]}
    assert "EXEMPT" in statuses.values()
    truth = dict(
        db.execute(
            "SELECT l.cds_code, s.count_a || ',' || s.count_b || ',' || s.count_c "
            "FROM submission s JOIN lea l ON l.id = s.lea_id JOIN cycle c ON c.id = s.cycle_id "
            "WHERE c.name = '2023-24' AND s.status = 'APPROVED'"
        ).fetchall()
    )
    reported = {cds: sizes[cds] for cds, status in statuses.items() if status == "REPORTED"}
    small = set()
    for cds in reported:
        counts = [int(v) for v in truth[cds].split(",")]
        for m, v in zip("ABC", counts, strict=True):
            if v <= 10 or sum(counts) <= 10:
                small.add(("LEA", cds, m))
    assert small and unprotected(snapshot, reported, small) == {}


def test_publishing_an_unknown_cycle_fails_with_the_reason(tmp_path: Path) -> None:
    result = iepimp(tmp_path, "publish", "2030-31", "--dry-run")
    assert result.returncode == 2
    assert "NOT_FOUND" in result.stderr
