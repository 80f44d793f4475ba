"""Report timings at California scale on PostgreSQL: the SQL alone against the GraphQL request.

    .venv/bin/python -m bench.report_bench [--leas 2300] [--selpas 140] [--runs 40]

Builds a throw-away database (``IEPIMP_BENCH_PG_URL``, default
``postgres://postgres@127.0.0.1:5432/bench_{}``; ``{}`` becomes a fresh name, dropped at the
end) with synthetic SELPAs, LEAs, memberships and submissions inserted in bulk, then prints,
for ``report`` by SELPA and by LEA, the p50 of the aggregate SQL statement alone, the p50 of
the whole GraphQL request (authentication, execution and serialization included) and their
ratio, twice: repeated while the data stays unchanged (answered from the report store, see
``schema.engine.report_answers``), and with a write to a report table before each request (computed
anew); for LEA rows also the cost per row and per field beyond the SQL.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from tortoise import connections
from tortoise.context import tortoise_test_context
from tortoise.expressions import F

from iepimp.app import create_app
from iepimp.db import MODEL_MODULES
from kernel.settings import load_settings
from models import Cycle, Lea, LeaCycle, Selpa, Submission
from models.reports.epoch import install_triggers
from models.shared.deadlines import pacific_minute
from models.shared.enums import CycleStatus, ReportGrouping, Role, SubmissionStatus
from resolvers.access.issue_access_code import issue_code
from resolvers.reports.aggregate import report_sql
from resolvers.shared.principal import Principal

SECRET = "bench-secret-key-0123456789abcdef0123456789"  # noqa: S105 - synthetic
QUERY = """
query($g: ReportGrouping!) {
  report(cycle: "2024-25", groupBy: $g) {
    groupBy key label county selpaCode
    leaCounts { required exempt notStarted draft submitted approved rejected }
    students { countA countB countC total
      shareA { numerator denominator percent }
      shareB { numerator denominator percent }
      shareC { numerator denominator percent } }
    responseRate { numerator denominator percent }
    timeliness { numerator denominator percent }
    extensionsGranted
  }
}
"""
LEAF_FIELDS = 5 + 7 + 4 + 9 + 3 + 3 + 1
LEAN_QUERY = """
query($g: ReportGrouping!) {
  report(cycle: "2024-25", groupBy: $g) { key label students { total } responseRate { percent } }
}
"""
STATUSES = [
    (SubmissionStatus.APPROVED, 70),
    (SubmissionStatus.SUBMITTED, 12),
    (SubmissionStatus.REJECTED, 3),
    (SubmissionStatus.DRAFT, 8),
    (SubmissionStatus.NOT_STARTED, 7),
]


async def populate(n_leas: int, n_selpas: int, rng: random.Random) -> Cycle:
    due = pacific_minute(date(2025, 6, 30))
    cycle = await Cycle.create(
        name="2024-25",
        window_start=date(2025, 3, 3),
        window_end=date(2025, 4, 30),
        due_at=due,
        sample_bands=[],
        certification_text="I certify.",
        reminder_days=[14, 7, 1],
        sampling_seed="bench-seed-0123456789",
        status=CycleStatus.CLOSED,
    )
    await Selpa.bulk_create(
        [Selpa(code=f"{1000 + i}", name=f"Synthetic SELPA {i}") for i in range(n_selpas)],
        batch_size=1000,
    )
    selpa_ids = [s.id for s in await Selpa.all().order_by("id")]
    await Lea.bulk_create(
        [
            Lea(cds_code=f"{rng.randint(1, 58):02d}{i:012d}", name=f"Synthetic LEA {i}")
            for i in range(n_leas)
        ],
        batch_size=1000,
    )
    lea_ids = [lea.id for lea in await Lea.all().order_by("id")]
    memberships, submissions = [], []
    statuses, weights = zip(*STATUSES, strict=True)
    for lea_id in lea_ids:
        exempt = rng.random() < 0.04
        extension = due + timedelta(days=rng.randint(3, 20)) if rng.random() < 0.06 else None
        memberships.append(
            LeaCycle(
                cycle_id=cycle.id,
                lea_id=lea_id,
                selpa_id=rng.choice(selpa_ids),
                required=not exempt,
                due_at_extension=extension,
                swd_count=0 if exempt else rng.randint(5, 5000),
            )
        )
        status = SubmissionStatus.NOT_STARTED if exempt else rng.choices(statuses, weights)[0]
        n = min(500, max(1, int(rng.lognormvariate(3.4, 1.1))))
        a = int(n * rng.uniform(0.6, 0.97))
        b = int((n - a) * rng.random())
        counted = status is not SubmissionStatus.NOT_STARTED
        first = None
        if status in (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED):
            first = due - timedelta(hours=rng.randint(-48, 400))
        submissions.append(
            Submission(
                cycle_id=cycle.id,
                lea_id=lea_id,
                status=status,
                count_a=a if counted else None,
                count_b=b if counted else None,
                count_c=n - a - b if counted else None,
                first_submitted_at=first,
                submitted_at=first,
            )
        )
    await LeaCycle.bulk_create(memberships, batch_size=1000)
    await Submission.bulk_create(submissions, batch_size=1000)
    await connections.get("default").execute_script("ANALYZE")
    return cycle


async def time_sql(cycle: Cycle, grouping: ReportGrouping, runs: int) -> tuple[float, int]:
    connection = connections.get("default")
    principal = Principal(role=Role.CDE_ADMIN, access_code_id=0)
    sql, values = report_sql(connection.capabilities.dialect, principal, cycle, [grouping])
    samples, rows = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        rows = len(await connection.execute_query_dict(sql, values))
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), rows


async def change_data(cycle: Cycle) -> None:
    """A write to a table the reports read: retires every stored report answer."""
    await Cycle.filter(id=cycle.id).update(version=F("version") + 1)


async def time_graphql(
    client: httpx.AsyncClient,
    grouping: ReportGrouping,
    runs: int,
    query: str = QUERY,
    changed: Cycle | None = None,
) -> float:
    """p50 of the request; with ``changed``, the data changes (untimed) before each one."""
    samples = []
    for _ in range(runs):
        if changed is not None:
            await change_data(changed)
        start = time.perf_counter()
        response = await client.post(
            "/graphql", json={"query": query, "variables": {"g": grouping}}
        )
        samples.append(time.perf_counter() - start)
        body: dict[str, Any] = response.json()
        assert not body.get("errors"), body["errors"]
    return statistics.median(samples)


def _line(label: str, rows: int, sql: float, gql: float, note: str = "") -> str:
    return (
        f"{label:22} {rows:>5} {sql * 1000:>8.2f}ms {gql * 1000:>10.2f}ms {gql / sql:>6.2f}  {note}"
    )


async def main(n_leas: int, n_selpas: int, runs: int) -> None:
    url = os.environ.get("IEPIMP_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/bench_{}")
    async with tortoise_test_context(MODEL_MODULES, db_url=url) as ctx:
        await install_triggers(ctx.db())
        try:
            built = time.perf_counter()
            cycle = await populate(n_leas, n_selpas, random.Random(2025))
            print(
                f"populated {n_leas} LEAs in {n_selpas} SELPAs: {time.perf_counter() - built:.1f} s"
            )
            now = datetime.now(UTC)
            code = (await issue_code(SECRET, Role.CDE_ADMIN, now)).code
            settings = load_settings({"IEPIMP_SECRET_KEY": SECRET, "IEPIMP_ENV": "development"})
            app = create_app(settings, manage_database=False)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                login = await client.post(
                    "/graphql",
                    json={"query": f'mutation {{ login(accessCode: "{code}") {{ token }} }}'},
                )
                token = login.json()["data"]["login"]["token"]
                client.headers["authorization"] = f"Bearer {token}"
                header = ("groupBy / request", "rows", "SQL p50", "GraphQL p50", "ratio")
                print("{:22} {:>5} {:>10} {:>12} {:>6}".format(*header))
                print(
                    f"(full selection: every field of ReportRow, {LEAF_FIELDS} leaf fields per row)"
                )
                for grouping in (ReportGrouping.SELPA, ReportGrouping.LEA):
                    await time_graphql(client, grouping, 3)
                    sql, rows = await time_sql(cycle, grouping, runs)
                    name = grouping.value
                    repeat = await time_graphql(client, grouping, runs)
                    print(_line(f"{name} repeated", rows, sql, repeat, "(data unchanged)"))
                    fresh = await time_graphql(client, grouping, runs, changed=cycle)
                    print(_line(f"{name} after a change", rows, sql, fresh, "(computed anew)"))
                    lean = await time_graphql(client, grouping, runs, LEAN_QUERY, changed=cycle)
                    print(
                        _line(
                            f"{name} lean, changed",
                            rows,
                            sql,
                            lean,
                            "(key label students.total responseRate.percent)",
                        )
                    )
                    if grouping is ReportGrouping.LEA:
                        extra = fresh - sql
                        print(
                            "  computed anew, beyond the SQL: "
                            f"{extra / rows * 1e6:.1f} µs per row, "
                            f"{extra / (rows * LEAF_FIELDS) * 1e6:.2f} µs per field "
                            f"({LEAF_FIELDS} leaf fields per row)"
                        )
        finally:
            conn = ctx.db()
            await ctx.connections.close_all(discard=False)
            await conn.db_delete()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leas", type=int, default=2300)
    parser.add_argument("--selpas", type=int, default=140)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    asyncio.run(main(args.leas, args.selpas, args.runs))
