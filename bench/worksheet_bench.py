"""A whole-sample minutes upload on SQLite: 500 rows through ``POST /imports/…/minutes.csv``.

    .venv/bin/python -m bench.worksheet_bench [--runs 10]

Builds a throw-away SQLite file with one LEA of 5,000 synthetic students (a sample of 500),
downloads its ``students.csv`` as the LEA, fills in both minute columns and uploads the same
file ``--runs`` times (each run replaces all 500 entries), printing the p50 and the slowest
request time, authentication, parsing, validation and the write included.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
from tortoise.context import tortoise_test_context

from iepimp import synthetic
from iepimp.app import create_app
from iepimp.db import MODEL_MODULES
from kernel.settings import load_settings
from models import Cycle, Lea, LeaCycle, RosterStudent, Selpa
from models.shared.deadlines import pacific_minute
from models.shared.enums import CycleStatus, Role
from resolvers.access.issue_access_code import issue_code
from resolvers.cycles.create_cycle import CycleSpec, create_cycle
from resolvers.cycles.draw_sample import draw_cycle_samples

SECRET = "bench-secret-key-0123456789abcdef0123456789"  # noqa: S105 - synthetic
CDS = "19647330000001"
NOW = datetime(2025, 5, 15, 12, 0, tzinfo=UTC)


async def populate(students: int) -> str:
    """The cycle, one LEA with its roster and drawn sample; returns the LEA's access code."""
    cycle = await create_cycle(
        CycleSpec(
            name="2024-25",
            window_start=date(2025, 3, 3),
            window_end=date(2025, 4, 30),
            due_at=pacific_minute(date(2025, 6, 30)),
            sampling_seed="bench-seed-0123456789",
        )
    )
    selpa = await Selpa.create(
        code="1900", name="Bench SELPA", contact_name="C", contact_email="selpa@example.org"
    )
    lea = await Lea.create(cds_code=CDS, name="Bench Unified")
    await LeaCycle.create(
        cycle=cycle, lea=lea, selpa=selpa, contact_name="D", contact_email="lea@example.org"
    )
    rng = random.Random(7)
    taken: set[str] = set()
    rows = [
        RosterStudent(cycle=cycle, lea=lea, **synthetic.student(rng, taken, 2024))
        for _ in range(students)
    ]
    await RosterStudent.bulk_create(rows, batch_size=1000)
    await draw_cycle_samples(cycle, NOW)
    await Cycle.filter(id=cycle.id).update(status=CycleStatus.OPEN)
    return (await issue_code(SECRET, Role.LEA, NOW, cycle=cycle, lea=lea)).code


def filled(text: str, rng: random.Random) -> bytes:
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    p, q = header.index("prescribed_minutes"), header.index("provided_minutes")
    for row in rows[1:]:
        prescribed = rng.randint(600, 4000)
        row[p], row[q] = str(prescribed), str(rng.randint(prescribed * 8 // 10, prescribed))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


async def run(runs: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="iepimp-bench-"))
    url = f"sqlite://{folder / 'bench.sqlite3'}"
    async with tortoise_test_context(MODEL_MODULES, db_url=url):
        code = await populate(5_000)
        settings = load_settings({"IEPIMP_SECRET_KEY": SECRET, "IEPIMP_ENV": "development"})
        app = create_app(settings, clock=lambda: NOW, manage_database=False)
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            login = await http.post(
                "/graphql",
                json={
                    "query": "mutation($c: String!) { login(accessCode: $c) { token } }",
                    "variables": {"c": code},
                },
            )
            http.headers["authorization"] = f"Bearer {login.json()['data']['login']['token']}"
            students = await http.get(f"/exports/2024-25/students.csv?lea={CDS}")
            rng = random.Random(11)
            timings = []
            for _ in range(runs):
                body = filled(students.text, rng)
                started = time.perf_counter()
                response = await http.post(
                    f"/imports/2024-25/minutes.csv?lea={CDS}",
                    content=body,
                    headers={"content-type": "text/csv"},
                )
                timings.append(time.perf_counter() - started)
                assert response.status_code == 200, response.text
                assert response.json()["rows"] == 500, response.text
    print(f"minutes.csv upload, 500 rows ({len(body):,} bytes), SQLite, {runs} runs:")
    print(f"  p50 {statistics.median(timings) * 1000:.1f} ms, max {max(timings) * 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    asyncio.run(run(parser.parse_args().runs))


if __name__ == "__main__":
    main()
