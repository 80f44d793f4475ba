"""The year from the command line, each command in a fresh process on a fresh SQLite file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.test_cli import iepimp

YEAR = date.today().year + 1
CYCLE = f"{YEAR}-{(YEAR + 1) % 100:02d}"
LEA_1, LEA_2, LATE = "11111111111111", "22222222222222", "33333333333333"
DIRECTORY = (
    "cds_code,lea_name,lea_kind,selpa_code,selpa_name,selpa_contact_name,selpa_contact_email,"
    "contact_name,contact_email,required,active,swd_count,exempt_reason\n"
    f"{LEA_1},North Unified,district,1234,North SELPA,Pat,p@example.org,Dana,d@example.org,"
    "true,true,,\n"
    f"{LEA_2},Empty Charter,charter,1234,North SELPA,Pat,p@example.org,Lee,l@example.org,"
    "true,true,0,\n"
)
ROSTER_HEADER = "cds_code,ssid,first_name,last_name,birth_date,grade,disability_category\n"


def _roster(cds: str, first_ssid: int, count: int) -> str:
    rows = (
        f"{cds},{first_ssid + i:010d},Ana{i},Test,{YEAR - 10}-05-01,05,SLD\n" for i in range(count)
    )
    return ROSTER_HEADER + "".join(rows)


def _create(tmp_path: Path, *extra: str, past: bool = False) -> list[str]:
    year = 2025 if past else YEAR + 1
    return [
        "create-cycle",
        "--name",
        f"{year - 1}-{year % 100:02d}",
        "--window-start",
        f"{year}-03-02",
        "--window-end",
        f"{year}-04-30",
        "--due",
        f"{year}-06-30 23:59",
        *extra,
    ]


def test_create_cycle_refuses_a_past_due_time_and_names_the_seed_flag(tmp_path: Path) -> None:
    # when the due time has passed, create-cycle refuses unless told --allow-past-due
    past = iepimp(tmp_path, *_create(tmp_path, past=True))
    assert past.returncode == 2
    assert "--due" in past.stderr and "--allow-past-due" in past.stderr
    # when the seed is too short, the message names the flag the command shows
    short = iepimp(tmp_path, *_create(tmp_path, "--seed", "1"))
    assert short.returncode == 2
    assert "--seed: must be 16 to 128 characters" in short.stderr
    assert "sampling" not in short.stderr
    allowed = iepimp(tmp_path, *_create(tmp_path, "--allow-past-due", past=True))
    assert allowed.returncode == 0, allowed.stderr
    # and open-cycle refuses to open that past-due cycle without the flag
    opened = iepimp(tmp_path, "open-cycle", "--cycle", "2024-25")
    assert opened.returncode == 2 and "--allow-past-due" in opened.stderr


def test_the_year_runs_from_the_command_line(tmp_path: Path) -> None:
    # given a cycle with a directory (one LEA declared without SWDs) and a roster
    assert iepimp(tmp_path, *_create(tmp_path)).returncode == 0
    (tmp_path / "directory.csv").write_text(DIRECTORY, encoding="utf-8")
    (tmp_path / "roster.csv").write_text(_roster(LEA_1, 1_000_000_001, 30), encoding="utf-8")
    for kind in ("directory", "roster"):
        done = iepimp(tmp_path, "import", kind, str(tmp_path / f"{kind}.csv"), "--cycle", CYCLE)
        assert done.returncode == 0, done.stderr
    drawn = iepimp(tmp_path, "draw-sample", "--cycle", CYCLE)
    assert drawn.returncode == 0, drawn.stderr
    assert "drew 20 students for 2 LEAs" in drawn.stdout
    # when CDE opens it, it opens and says until when
    opened = iepimp(tmp_path, "open-cycle", "--cycle", CYCLE)
    assert opened.returncode == 0, opened.stderr
    assert f"opened cycle {CYCLE}" in opened.stdout
    # an extension is granted and printed
    due = f"{YEAR + 1}-07-31 23:59"
    extended = iepimp(tmp_path, "grant-extension", "--cycle", CYCLE, "--lea", LEA_1, "--due", due)
    assert extended.returncode == 0, extended.stderr
    assert f"extended LEA {LEA_1} in {CYCLE} to {due} PDT" in extended.stdout
    # a reopen of a submission never submitted is refused with its code
    reopened = iepimp(tmp_path, "reopen", "--cycle", CYCLE, "--lea", LEA_1, "--reason", "x")
    assert reopened.returncode == 2 and "INVALID_STATE" in reopened.stderr
    # the close is refused while the extension runs, --force needs a reason, then it closes
    refused = iepimp(tmp_path, "close-cycle", "--cycle", CYCLE)
    assert refused.returncode == 2
    assert f"INVALID_STATE: 1 LEA(s) keep the cycle open: {LEA_1} (extension open)" in (
        refused.stderr
    )
    bare = iepimp(tmp_path, "close-cycle", "--cycle", CYCLE, "--force")
    assert bare.returncode == 2 and "--reason" in bare.stderr
    forced = iepimp(
        tmp_path, "close-cycle", "--cycle", CYCLE, "--force", "--reason", "State deadline."
    )
    assert forced.returncode == 0, forced.stderr
    assert f"closed cycle {CYCLE} (forced: State deadline.)" in forced.stdout
    # the audit commands answer through the same use cases: nothing was drawn yet
    step = iepimp(tmp_path, "audit", "--cycle", CYCLE, "--lea", LEA_1, "--step", "CONFIRM")
    assert step.returncode == 2
    assert f"NOT_FOUND: LEA {LEA_1} was not drawn for the audit of {CYCLE}" in step.stderr
    summary = iepimp(tmp_path, "audit-summary", "--cycle", CYCLE)
    assert summary.returncode == 2 and "no audit was drawn" in summary.stderr


def test_draw_names_roster_missing_leas_and_open_refuses_them(tmp_path: Path) -> None:
    # given a required LEA whose roster was not loaded
    assert iepimp(tmp_path, *_create(tmp_path)).returncode == 0
    late = DIRECTORY + (
        f"{LATE},Late District,district,1234,North SELPA,Pat,p@example.org,Kim,k@example.org,"
        "true,true,,\n"
    )
    (tmp_path / "directory.csv").write_text(late, encoding="utf-8")
    (tmp_path / "roster.csv").write_text(_roster(LEA_1, 1_000_000_001, 5), encoding="utf-8")
    for kind in ("directory", "roster"):
        iepimp(tmp_path, "import", kind, str(tmp_path / f"{kind}.csv"), "--cycle", CYCLE)
    # when the sample is drawn, the LEA is named as ROSTER_MISSING, not made exempt
    drawn = iepimp(tmp_path, "draw-sample", "--cycle", CYCLE)
    assert f"(ROSTER_MISSING): {LATE}" in drawn.stdout
    # and the cycle does not open
    opened = iepimp(tmp_path, "open-cycle", "--cycle", CYCLE)
    assert opened.returncode == 2 and "ROSTER_MISSING: 1 required LEA(s)" in opened.stderr
    assert LATE in opened.stderr
    # until CDE exempts it with a reason
    exempt = iepimp(
        tmp_path, "exempt", "--cycle", CYCLE, "--lea", LATE, "--reason", "Closed in June."
    )
    assert exempt.returncode == 0, exempt.stderr
    assert iepimp(tmp_path, "draw-sample", "--cycle", CYCLE).returncode == 0
    assert iepimp(tmp_path, "open-cycle", "--cycle", CYCLE).returncode == 0
