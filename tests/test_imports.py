"""Directory and roster imports: all or nothing, every bad row named, re-import is a no-op."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from tortoise.context import TortoiseContext

from iepimp.generate import DIRECTORY_COLUMNS, ROSTER_COLUMNS, generate
from models import Lea, LeaCycle, RosterStudent, SampledStudent, Selpa
from models.shared.enums import CycleStatus
from resolvers.cycles.draw_sample import draw_cycle_samples
from resolvers.directory.import_directory import import_directory
from resolvers.directory.import_file import ImportRefused
from resolvers.directory.import_roster import import_roster
from tests.support.factories import BEFORE_DUE, make_cycle


def _write(path: Path, header: tuple[str, ...], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _read(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))[1:]


async def _snapshot() -> tuple[object, ...]:
    return (
        sorted(await Selpa.all().values_list("code", "name", "contact_email")),
        sorted(await Lea.all().values_list("cds_code", "name", "kind")),
        sorted(await LeaCycle.all().values_list("lea_id", "selpa_id", "required", "active")),
        sorted(await RosterStudent.all().values_list("id", "ssid", "lea_id", "first_name")),
    )


@pytest.fixture
def files(tmp_path: Path) -> Path:
    generate("demo", 7, tmp_path)
    return tmp_path


async def test_demo_files_import_and_a_second_import_changes_nothing(
    db: TortoiseContext, files: Path
) -> None:
    # given a DRAFT cycle and generated files
    cycle = await make_cycle()
    # when both files are imported
    d = await import_directory(cycle.name, files / "directory.csv", BEFORE_DUE)
    r = await import_roster(cycle.name, files / "roster.csv", BEFORE_DUE)
    # then everything is loaded
    assert d.changed and d.rows == await LeaCycle.filter(cycle=cycle).count()
    assert r.inserted == r.rows == len(_read(files / "roster.csv"))
    assert await RosterStudent.filter(cycle=cycle).count() == r.rows
    before = await _snapshot()
    # when the same files are imported again
    d2 = await import_directory(cycle.name, files / "directory.csv", BEFORE_DUE)
    r2 = await import_roster(cycle.name, files / "roster.csv", BEFORE_DUE)
    # then nothing changes
    assert not d2.changed and not r2.changed
    assert (r2.inserted, r2.updated, r2.deleted) == (0, 0, 0)
    assert await _snapshot() == before


async def test_bad_directory_rows_are_all_named_and_nothing_changes(
    db: TortoiseContext, tmp_path: Path
) -> None:
    cycle = await make_cycle()
    good = [
        "10000000000001",
        "North LEA",
        "district",
        "1001",
        "North SELPA",
        "Pat",
        "p@example.org",
        "Dana",
        "d@example.org",
        "true",
        "true",
    ]
    rows = [
        good,
        ["1000000000000X", *good[1:]],  # line 3: malformed CDS
        ["10000000000003", *good[1:3], "9999", "", "", "", *good[7:]],  # line 4: unknown SELPA
        [good[0], *good[1:]],  # line 5: duplicate CDS
        ["10000000000004", good[1], "school", *good[3:8], "nope", "true", "true"],  # line 6
        ["10000000000009", "", *good[2:9], "maybe", "true"],  # line 7: name, required
    ]
    rows = [[*row, "", ""] for row in rows]  # no swd_count, no exempt_reason
    path = _write(tmp_path / "directory.csv", DIRECTORY_COLUMNS, rows)
    with pytest.raises(ImportRefused) as refused:
        await import_directory(cycle.name, path, BEFORE_DUE)
    named = {(e.line, e.column) for e in refused.value.errors}
    assert named == {
        (3, "cds_code"),
        (4, "selpa_code"),
        (5, "cds_code"),
        (6, "lea_kind"),
        (6, "contact_email"),
        (7, "lea_name"),
        (7, "required"),
    }
    assert await Selpa.all().count() == 0
    assert await Lea.all().count() == 0


async def test_bad_roster_rows_are_all_named_without_pii_and_nothing_changes(
    db: TortoiseContext, files: Path, tmp_path: Path
) -> None:
    # given a loaded cycle
    cycle = await make_cycle()
    await import_directory(cycle.name, files / "directory.csv", BEFORE_DUE)
    await import_roster(cycle.name, files / "roster.csv", BEFORE_DUE)
    before = await _snapshot()
    rows = _read(files / "roster.csv")[:6]
    first = rows[0]
    rows[1][1] = "12345"  # line 3: SSID format
    rows[2][1] = first[1]  # line 4: duplicate SSID
    rows[3][0] = "99999999999999"  # line 5: unknown LEA
    rows[4][4] = "2019-02-30"  # line 6: not a date
    rows[5][6] = "XYZ"  # line 7: category
    rows[5][2] = ""  # line 7: missing first name
    path = _write(tmp_path / "roster.csv", ROSTER_COLUMNS, rows)
    # when the file is imported
    with pytest.raises(ImportRefused) as refused:
        await import_roster(cycle.name, path, BEFORE_DUE)
    # then every bad row is named by line and column, and no SSID or name appears
    named = {(e.line, e.column) for e in refused.value.errors}
    assert named == {
        (3, "ssid"),
        (4, "ssid"),
        (5, "cds_code"),
        (6, "birth_date"),
        (7, "disability_category"),
        (7, "first_name"),
    }
    text = " ".join(str(e) for e in refused.value.errors)
    assert first[1] not in text and first[3] not in text
    assert await _snapshot() == before


async def test_missing_columns_refuse_the_file(db: TortoiseContext, tmp_path: Path) -> None:
    cycle = await make_cycle()
    path = _write(tmp_path / "r.csv", ("cds_code", "ssid", "nickname"), [["1", "2", "3"]])
    with pytest.raises(ImportRefused) as refused:
        await import_roster(cycle.name, path, BEFORE_DUE)
    named = {(e.line, e.column, e.reason) for e in refused.value.errors}
    assert (1, "nickname", "unknown column") in named
    assert (1, "birth_date", "column is missing") in named


async def test_roster_never_loads_into_a_closed_cycle(db: TortoiseContext, files: Path) -> None:
    cycle = await make_cycle(status=CycleStatus.CLOSED)
    with pytest.raises(ImportRefused) as refused:
        await import_roster(cycle.name, files / "roster.csv", BEFORE_DUE)
    assert "CLOSED" in refused.value.errors[0].reason


async def test_a_changed_roster_updates_removes_and_clears_that_leas_sample(
    db: TortoiseContext, files: Path, tmp_path: Path
) -> None:
    # given a loaded and drawn cycle
    cycle = await make_cycle()
    await import_directory(cycle.name, files / "directory.csv", BEFORE_DUE)
    await import_roster(cycle.name, files / "roster.csv", BEFORE_DUE)
    await draw_cycle_samples(cycle, BEFORE_DUE)
    rows = _read(files / "roster.csv")
    changed_cds = rows[0][0]
    other = next(r for r in rows if r[0] != changed_cds)[0]
    # when one student's grade changes and another of the same LEA leaves
    rows[0][5] = "12" if rows[0][5] != "12" else "11"
    removed = rows.pop(1)
    assert removed[0] == changed_cds
    result = await import_roster(
        cycle.name, _write(tmp_path / "r.csv", ROSTER_COLUMNS, rows), BEFORE_DUE
    )
    # then the difference is applied and only that LEA must be drawn again
    assert (result.inserted, result.updated, result.deleted, result.leas_changed) == (0, 1, 1, 1)
    assert not await RosterStudent.filter(cycle=cycle, ssid=removed[1]).exists()
    assert (await RosterStudent.get(cycle=cycle, ssid=rows[0][1])).grade == rows[0][5]
    changed = await LeaCycle.get(cycle=cycle, lea__cds_code=changed_cds)
    untouched = await LeaCycle.get(cycle=cycle, lea__cds_code=other)
    assert changed.sample_size is None and untouched.sample_size is not None
    assert not await SampledStudent.filter(cycle=cycle, lea_id=changed.lea_id).exists()


def test_generated_files_carry_exactly_the_import_columns() -> None:
    from iepimp.generate import DIRECTORY_COLUMNS
    from models.directory.import_rows import DIRECTORY_OPTIONAL, DIRECTORY_REQUIRED

    assert sorted(DIRECTORY_COLUMNS) == sorted(DIRECTORY_REQUIRED + DIRECTORY_OPTIONAL)
