"""Import a cycle's roster from CSV: all or nothing, and a re-import of the same file is a no-op.

The file is read twice: once to check every row (nothing is written if any row is bad), then
streamed into a staging table from which set-based statements apply the difference: new
students are inserted, changed ones updated, and students of the file's LEAs that the file no
longer lists are removed. The samples of LEAs whose roster changed are cleared (to be drawn
again). Into an OPEN cycle only the rosters of LEAs without a sample load (an LEA added late):
rows of an LEA that has one are refused by line, as is a student already on another LEA's
roster.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from models import Cycle, LeaCycle
from models.directory.import_rows import ROSTER_OPTIONAL, ROSTER_REQUIRED, RosterValidator, RowError
from models.shared.enums import CycleStatus
from resolvers.directory.import_file import ImportRefused, Progress, count_lines, read_rows
from resolvers.shared import audit_log, bulk
from resolvers.shared.cycle_lock import locked_cycle

STAGE = "roster_stage"
STAGE_COLUMNS = (
    "lea_id",
    "ssid",
    "first_name",
    "last_name",
    "birth_date",
    "grade",
    "disability_category",
    "race_ethnicity",
    "gender",
)
VALUE_COLUMNS = STAGE_COLUMNS[2:]


@dataclass(frozen=True)
class RosterImportResult:
    rows: int
    inserted: int
    updated: int
    deleted: int
    leas_changed: int

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated or self.deleted)


async def import_roster(
    cycle_name: str, path: Path, now: datetime, *, progress: Progress | None = None
) -> RosterImportResult:
    cycle = await Cycle.get_or_none(name=cycle_name)
    if cycle is None:
        raise ImportRefused(f"there is no cycle {cycle_name}")
    if cycle.status is CycleStatus.CLOSED:
        raise ImportRefused(f"cycle {cycle_name} is CLOSED: rosters load into DRAFT or OPEN")
    members = await LeaCycle.filter(cycle=cycle, active=True).values_list(
        "lea__cds_code", "lea_id", "sample_size"
    )
    lea_ids: dict[str, int] = {str(cds): int(lea_id) for cds, lea_id, _ in members}
    frozen = frozenset(
        str(cds)
        for cds, _, size in members
        if size is not None and cycle.status is CycleStatus.OPEN
    )
    total = count_lines(path)
    school_year = int(cycle.name[:4])

    before = _fingerprint(path)
    validator = RosterValidator(set(lea_ids), school_year, frozen)
    width_errors: list[RowError] = []
    for line, values in read_rows(path, ROSTER_REQUIRED, ROSTER_OPTIONAL):
        if isinstance(values, RowError):
            width_errors.append(values)
        else:
            validator.row(line, values)
        if progress is not None and line % 50_000 == 0:
            progress(min(line, total), total * 2)
    errors = sorted(width_errors + validator.errors, key=lambda e: e.line)
    if errors:
        raise ImportRefused(errors)
    rows = len(validator.seen_ssids)
    del validator

    async with in_transaction() as tx:
        if (await locked_cycle(tx, cycle.id)).status is not cycle.status:
            raise ImportRefused(f"cycle {cycle_name} changed state meanwhile; import again")
        if (
            frozen
            and await LeaCycle.filter(
                cycle_id=cycle.id, lea_id__in=[lea_ids[c] for c in set(lea_ids) - frozen]
            )
            .using_db(tx)
            .exclude(sample_size=None)
            .exists()
        ):
            raise ImportRefused(f"an LEA of cycle {cycle_name} was drawn meanwhile; import again")
        await _create_stage(tx)
        await bulk.insert_rows(tx, STAGE, STAGE_COLUMNS, _staged(path, lea_ids, total, progress))
        if _fingerprint(path) != before:
            raise ImportRefused("the file changed while it was imported")
        if bulk.is_postgres(tx):
            await tx.execute_script(
                f"SET LOCAL work_mem = '64MB'; SET LOCAL enable_nestloop = off; "
                f"ANALYZE {STAGE}; ANALYZE roster_student"
            )
        else:
            await tx.execute_script(f"CREATE INDEX {STAGE}_ssid ON {STAGE} (ssid)")
        if frozen:
            await _refuse_moves(tx, cycle.id)
        result = await _apply(tx, cycle.id, rows)
        if bulk.is_postgres(tx) and result.changed:
            await tx.execute_script("ANALYZE roster_student")
        await tx.execute_script(f"DROP TABLE {STAGE}")
        if result.changed:
            await audit_log.record(
                "roster.imported",
                now,
                cycle_id=cycle.id,
                detail={
                    "rows": result.rows,
                    "inserted": result.inserted,
                    "updated": result.updated,
                    "deleted": result.deleted,
                    "leas_changed": result.leas_changed,
                },
                using=tx,
            )
    if progress is not None:
        progress(total * 2, total * 2)
    return result


def _staged(
    path: Path, lea_ids: dict[str, int], total: int, progress: Progress | None
) -> Iterator[tuple[Any, ...]]:
    """The rows checked in the first pass, normalized as the validator normalizes them."""
    for line, values in read_rows(path, ROSTER_REQUIRED, ROSTER_OPTIONAL):
        if isinstance(values, RowError):
            raise ImportRefused([RowError(line, "file", "the file changed while it was imported")])
        get = values.get
        yield (
            lea_ids[get("cds_code", "").strip()],
            get("ssid", "").strip(),
            get("first_name", "").strip(),
            get("last_name", "").strip(),
            date.fromisoformat(get("birth_date", "").strip()),
            get("grade", "").strip().upper(),
            get("disability_category", "").strip().upper(),
            get("race_ethnicity", "").strip().upper(),
            get("gender", "").strip().upper(),
        )
        if progress is not None and line % 50_000 == 0:
            progress(total + min(line, total), total * 2)


async def _refuse_moves(tx: BaseDBAsyncClient, cycle_id: int) -> None:
    """In an OPEN cycle a student already on another LEA's roster is not moved."""
    _, rows = await tx.execute_query(
        f"SELECT COUNT(*) AS n FROM {STAGE} s JOIN roster_student r "  # noqa: S608
        f"ON r.ssid = s.ssid AND r.cycle_id = {int(cycle_id)} WHERE r.lea_id <> s.lea_id"
    )
    moved = int(rows[0]["n"])
    if moved:
        raise ImportRefused(
            [RowError(0, "ssid", f"{moved} student(s) are on another LEA's roster already")]
        )


def _fingerprint(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


async def _create_stage(tx: BaseDBAsyncClient) -> None:
    temp = "TEMPORARY TABLE"
    suffix = " ON COMMIT DROP" if bulk.is_postgres(tx) else ""
    await tx.execute_script(f"DROP TABLE IF EXISTS {STAGE}")
    await tx.execute_script(
        f"CREATE {temp} {STAGE} (lea_id INT NOT NULL, ssid VARCHAR(10) NOT NULL, "
        "first_name VARCHAR(100) NOT NULL, last_name VARCHAR(100) NOT NULL, "
        "birth_date DATE NOT NULL, grade VARCHAR(4) NOT NULL, "
        "disability_category VARCHAR(8) NOT NULL, race_ethnicity VARCHAR(8) NOT NULL, "
        f"gender VARCHAR(8) NOT NULL){suffix}"
    )


async def _first_load(tx: BaseDBAsyncClient, c: int, rows: int) -> RosterImportResult:
    """An empty roster: every staged row is new (no anti-join against a growing table)."""
    _, leas = await tx.execute_query(f"SELECT DISTINCT lea_id FROM {STAGE}")  # noqa: S608
    affected = sorted(int(row["lea_id"]) for row in leas)
    if affected:
        await tx.execute_query(
            f"UPDATE lea_cycle SET sample_size = NULL, sampled_at = NULL "  # noqa: S608
            f"WHERE cycle_id = {c} AND lea_id IN ({', '.join(map(str, affected))})"
        )
    columns = ", ".join(STAGE_COLUMNS)
    inserted = await bulk.execute_count(
        tx,
        f"INSERT INTO roster_student (cycle_id, {columns}) "  # noqa: S608
        f"SELECT {c}, {columns} FROM {STAGE}",
    )
    return RosterImportResult(rows, inserted, 0, 0, len(affected))


def _differs(alias: str) -> str:
    return " OR ".join(f"{alias}.{col} <> s.{col}" for col in ("lea_id", *VALUE_COLUMNS))


async def _apply(tx: BaseDBAsyncClient, cycle_id: int, rows: int) -> RosterImportResult:
    c = int(cycle_id)
    differs = _differs("r")
    file_leas = f"SELECT DISTINCT lea_id FROM {STAGE}"  # noqa: S608
    gone = (
        f"FROM roster_student r WHERE r.cycle_id = {c} AND r.lea_id IN ({file_leas}) "  # noqa: S608
        f"AND NOT EXISTS (SELECT 1 FROM {STAGE} s WHERE s.ssid = r.ssid)"
    )
    changed = (
        f"FROM roster_student r JOIN {STAGE} s ON s.ssid = r.ssid "
        f"WHERE r.cycle_id = {c} AND ({differs})"
    )
    new = (
        f"FROM {STAGE} s WHERE NOT EXISTS "  # noqa: S608
        f"(SELECT 1 FROM roster_student r WHERE r.cycle_id = {c} AND r.ssid = s.ssid)"
    )
    _, present = await tx.execute_query(
        f"SELECT 1 AS x FROM roster_student WHERE cycle_id = {c} LIMIT 1"  # noqa: S608
    )
    if not present:
        return await _first_load(tx, c, rows)
    _, affected_rows = await tx.execute_query(
        f"SELECT r.lea_id AS lea_id {gone} UNION SELECT r.lea_id {changed} "
        f"UNION SELECT s.lea_id {changed} UNION SELECT s.lea_id {new}"
    )
    affected = sorted({int(row["lea_id"]) for row in affected_rows})
    if not affected:
        return RosterImportResult(rows, 0, 0, 0, 0)
    in_list = ", ".join(str(lea_id) for lea_id in affected)
    await tx.execute_query(
        f"DELETE FROM sampled_student WHERE cycle_id = {c} AND lea_id IN ({in_list})"  # noqa: S608
    )
    await tx.execute_query(
        f"UPDATE lea_cycle SET sample_size = NULL, sampled_at = NULL "  # noqa: S608
        f"WHERE cycle_id = {c} AND lea_id IN ({in_list})"
    )
    deleted = await bulk.execute_count(
        tx,
        f"DELETE FROM roster_student WHERE id IN (SELECT r.id {gone})",  # noqa: S608
    )
    assignments = ", ".join(f"{col} = s.{col}" for col in ("lea_id", *VALUE_COLUMNS))
    set_differs = _differs("roster_student")
    updated = await bulk.execute_count(
        tx,
        f"UPDATE roster_student SET {assignments} FROM {STAGE} s "  # noqa: S608
        f"WHERE roster_student.cycle_id = {c} AND roster_student.ssid = s.ssid AND ({set_differs})",
    )
    columns = ", ".join(STAGE_COLUMNS)
    inserted = await bulk.execute_count(
        tx,
        f"INSERT INTO roster_student (cycle_id, {columns}) "
        f"SELECT {c}, {', '.join('s.' + col for col in STAGE_COLUMNS)} {new}",
    )
    return RosterImportResult(rows, inserted, updated, deleted, len(affected))
