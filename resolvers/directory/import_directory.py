"""Import the directory for a cycle from CSV: SELPAs, LEAs and each LEA's membership in the cycle.

All or nothing; entries are matched by SELPA code, CDS code and (cycle, LEA), and only rows that
differ are written, so importing the same file again changes nothing. LEAs the file does not
list keep their membership.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from models import Cycle, Lea, LeaCycle, Selpa
from models.cycles.bands import NO_SWD_REASON
from models.directory.import_rows import (
    DIRECTORY_OPTIONAL,
    DIRECTORY_REQUIRED,
    DirectoryRow,
    DirectoryValidator,
    RowError,
)
from models.shared.enums import CycleStatus
from resolvers.directory.import_file import ImportRefused, Progress, read_rows
from resolvers.shared import audit_log, bulk

NOT_REQUIRED_REASON = "not required this cycle"


@dataclass(frozen=True)
class DirectoryImportResult:
    rows: int
    selpas_written: int
    leas_written: int
    memberships_written: int

    @property
    def changed(self) -> bool:
        return bool(self.selpas_written or self.leas_written or self.memberships_written)


async def import_directory(
    cycle_name: str, path: Path, now: datetime, *, progress: Progress | None = None
) -> DirectoryImportResult:
    cycle = await Cycle.get_or_none(name=cycle_name)
    if cycle is None:
        raise ImportRefused(f"there is no cycle {cycle_name}")
    if cycle.status is CycleStatus.CLOSED:
        raise ImportRefused(f"cycle {cycle_name} is closed")
    known = set(await Selpa.all().values_list("code", flat=True))
    validator = DirectoryValidator({str(code) for code in known})
    rows: list[DirectoryRow] = []
    width_errors: list[RowError] = []
    for line, values in read_rows(path, DIRECTORY_REQUIRED, DIRECTORY_OPTIONAL):
        if isinstance(values, RowError):
            width_errors.append(values)
            continue
        row = validator.row(line, values)
        if row is not None:
            rows.append(row)
    errors = sorted(width_errors + validator.errors, key=lambda e: e.line)
    if errors:
        raise ImportRefused(errors)

    async with in_transaction() as tx:
        selpas = await _write_selpas(tx, validator.selpa_details)
        leas = await _write_leas(tx, rows)
        members = await _write_memberships(tx, cycle.id, rows, selpas[0], leas[0])
        result = DirectoryImportResult(len(rows), selpas[1], leas[1], members)
        if result.changed:
            await audit_log.record(
                "directory.imported",
                now,
                cycle_id=cycle.id,
                detail={
                    "rows": result.rows,
                    "selpas_written": result.selpas_written,
                    "leas_written": result.leas_written,
                    "memberships_written": result.memberships_written,
                },
                using=tx,
            )
    if progress is not None:
        progress(len(rows), len(rows))
    return result


async def _write_selpas(
    tx: BaseDBAsyncClient, details: dict[str, tuple[str, str, str]]
) -> tuple[dict[str, int], int]:
    existing = {
        code: (pk, (name, contact, email))
        for pk, code, name, contact, email in await Selpa.all()
        .using_db(tx)
        .values_list("id", "code", "name", "contact_name", "contact_email")
    }
    new = [(code, *d) for code, d in details.items() if code not in existing]
    changed = [
        (*d, existing[code][0])
        for code, d in details.items()
        if code in existing and existing[code][1] != d
    ]
    await bulk.insert_rows(tx, "selpa", ("code", "name", "contact_name", "contact_email"), new)
    p = bulk.placeholders(tx, 4).split(", ")
    await bulk.execute_many(
        tx,
        f"UPDATE selpa SET name = {p[0]}, contact_name = {p[1]}, contact_email = {p[2]} "  # noqa: S608
        f"WHERE id = {p[3]}",
        changed,
    )
    ids = dict(await Selpa.all().using_db(tx).values_list("code", "id"))
    return {str(k): int(v) for k, v in ids.items()}, len(new) + len(changed)


async def _write_leas(
    tx: BaseDBAsyncClient, rows: list[DirectoryRow]
) -> tuple[dict[str, int], int]:
    existing = {
        cds: (pk, (name, kind))
        for pk, cds, name, kind in await Lea.filter(cds_code__in=[r.cds_code for r in rows])
        .using_db(tx)
        .values_list("id", "cds_code", "name", "kind")
    }
    new = [(r.cds_code, r.lea_name, r.lea_kind) for r in rows if r.cds_code not in existing]
    changed = [
        (r.lea_name, r.lea_kind, existing[r.cds_code][0])
        for r in rows
        if r.cds_code in existing and existing[r.cds_code][1] != (r.lea_name, r.lea_kind)
    ]
    await bulk.insert_rows(tx, "lea", ("cds_code", "name", "kind"), new)
    p = bulk.placeholders(tx, 3).split(", ")
    await bulk.execute_many(
        tx,
        f"UPDATE lea SET name = {p[0]}, kind = {p[1]} WHERE id = {p[2]}",  # noqa: S608
        changed,
    )
    ids = (
        await Lea.filter(cds_code__in=[r.cds_code for r in rows])
        .using_db(tx)
        .values_list("cds_code", "id")
    )
    return {str(k): int(v) for k, v in ids}, len(new) + len(changed)


def _membership_values(
    row: DirectoryRow, selpa_id: int, existing_reason: str | None
) -> tuple[Any, ...]:
    if row.exempt_reason is not None:
        return (
            selpa_id,
            row.active,
            False,
            row.exempt_reason,
            row.contact_name,
            row.contact_email,
        )
    if existing_reason == NO_SWD_REASON:
        return (selpa_id, row.active, False, NO_SWD_REASON, row.contact_name, row.contact_email)
    reason = None if row.required else (existing_reason or NOT_REQUIRED_REASON)
    return (selpa_id, row.active, row.required, reason, row.contact_name, row.contact_email)


async def _write_memberships(
    tx: BaseDBAsyncClient,
    cycle_id: int,
    rows: list[DirectoryRow],
    selpa_ids: dict[str, int],
    lea_ids: dict[str, int],
) -> int:
    existing = {
        lea_id: (pk, (selpa_id, active, required, reason, name, email))
        for pk, lea_id, selpa_id, active, required, reason, name, email in await LeaCycle.filter(
            cycle_id=cycle_id
        )
        .using_db(tx)
        .values_list(
            "id",
            "lea_id",
            "selpa_id",
            "active",
            "required",
            "exempt_reason",
            "contact_name",
            "contact_email",
        )
    }
    new: list[tuple[Any, ...]] = []
    changed: list[tuple[Any, ...]] = []
    for row in rows:
        lea_id = lea_ids[row.cds_code]
        current = existing.get(lea_id)
        values = _membership_values(
            row, selpa_ids[row.selpa_code], current[1][3] if current else None
        )
        if current is None:
            new.append((cycle_id, lea_id, *values, 0))
        elif current[1] != values:
            changed.append((*values, current[0]))
    await bulk.insert_rows(
        tx,
        "lea_cycle",
        (
            "cycle_id",
            "lea_id",
            "selpa_id",
            "active",
            "required",
            "exempt_reason",
            "contact_name",
            "contact_email",
            "swd_count",
        ),
        new,
    )
    p = bulk.placeholders(tx, 7).split(", ")
    await bulk.execute_many(
        tx,
        f"UPDATE lea_cycle SET selpa_id = {p[0]}, active = {p[1]}, required = {p[2]}, "  # noqa: S608
        f"exempt_reason = {p[3]}, contact_name = {p[4]}, contact_email = {p[5]} WHERE id = {p[6]}",
        changed,
    )
    return len(new) + len(changed)
