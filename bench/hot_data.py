"""A throw-away PostgreSQL database at California scale for ``bench.hot_queries``.

Created fresh, migrated by ``iepimp migrate`` (so every server sees the real schema and the
report-epoch triggers), filled with synthetic SELPAs, LEAs, memberships and submissions in every
status, and 500 sampled students for one LEA; and an OPEN cycle for the write burst
(``bench.burst_data``). Everything is invented.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
from tortoise import Tortoise, connections

from bench.burst_data import burst_leas
from bench.report_bench import populate
from iepimp.db import tortoise_config
from models import Cycle, LeaCycle, RosterStudent, SampledStudent
from models.shared.enums import Role
from resolvers.access.issue_access_code import issue_code

ADMIN_DSN = os.environ.get("IEPIMP_BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")


def dsn_for(name: str) -> str:
    return ADMIN_DSN.rsplit("/", 1)[0] + "/" + name


async def create_database() -> str:
    name = f"bench_hot_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(ADMIN_DSN)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return name


async def drop_database(name: str) -> None:
    admin = await asyncpg.connect(ADMIN_DSN)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def migrate(dsn: str, env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "iepimp", "migrate"],
        env={**env, "DATABASE_URL": dsn},
        check=True,
        capture_output=True,
    )


async def fill(
    dsn: str, secret: str, n_leas: int, n_selpas: int, burst: int = 200
) -> dict[str, Any]:
    """Populate and say what the measures need: the cycle, the LEA with 500 students, and the
    burst's LEAs (``burst`` of them)."""
    await Tortoise.init(config=tortoise_config(dsn))
    try:
        rng = random.Random(2025)
        cycle: Cycle = await populate(n_leas, n_selpas, rng)
        membership = await LeaCycle.filter(cycle_id=cycle.id).select_related("lea").first()
        assert membership is not None
        lea = membership.lea
        roster = [
            RosterStudent(
                cycle_id=cycle.id,
                lea_id=lea.id,
                ssid=f"{9_000_000_000 + i:010d}",
                first_name=f"Given{i}",
                last_name=f"Family{i % 97}",
                birth_date=date(2012 + i % 6, 1 + i % 12, 1 + i % 28),
                grade=f"{1 + i % 12:02d}",
                disability_category="SLD",
            )
            for i in range(500)
        ]
        await RosterStudent.bulk_create(roster, batch_size=500)
        students = await RosterStudent.filter(cycle_id=cycle.id, lea_id=lea.id)
        await SampledStudent.bulk_create(
            [
                SampledStudent(
                    cycle_id=cycle.id,
                    lea_id=lea.id,
                    student_id=row.id,
                    ssid=row.ssid,
                    selection_key=f"{row.id:064d}",
                    prescribed_minutes=2160,
                    provided_minutes=2000 + row.id % 200,
                )
                for row in students
            ],
            batch_size=500,
        )
        await LeaCycle.filter(id=membership.id).update(sample_size=500)
        plan = await burst_leas(secret, min(burst, n_leas))
        await connections.get("default").execute_script("ANALYZE")
        code = (await issue_code(secret, Role.CDE_ADMIN, datetime.now(UTC))).code
        return {
            "cycle": cycle.name,
            "cycle_id": cycle.id,
            "cds": lea.cds_code,
            "code": code,
            "burst": plan,
        }
    finally:
        await Tortoise.close_connections()
