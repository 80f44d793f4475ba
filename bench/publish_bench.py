"""Publishing a California-scale cycle: the time and the solver work of disclosure control.

    .venv/bin/python -m bench.publish_bench [--scale california] [--seed 2024]

Builds a throw-away in-memory SQLite database with the directory of ``iepimp generate`` (~2,300
LEAs in ~140 SELPAs and 58 counties), each LEA's sample size from the band table, synthetic
A/B/C counts and statuses (most approved, some not reported, the LEAs without students exempt),
then runs the publication use case once and prints its wall time, the LP and MILP solves and
the disclosure audit. All data is synthetic.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from datetime import UTC, date, datetime, timedelta

from tortoise.context import tortoise_test_context

from iepimp.db import MODEL_MODULES
from iepimp.generate import plan
from models import Cycle, Lea, LeaCycle, PublishedReport, Selpa, Submission
from models.cycles.bands import DEFAULT_BANDS, sample_size
from models.shared.deadlines import pacific_minute
from models.shared.enums import CycleStatus, ReviewDecision, Role, SubmissionStatus
from resolvers.reports.publish_results import publish_results
from resolvers.shared.principal import Principal


async def populate(scale: str, seed: int) -> Cycle:
    rng = random.Random(seed)
    due = pacific_minute(date(2025, 6, 30))
    cycle = await Cycle.create(
        name="2024-25",
        window_start=date(2025, 3, 3),
        window_end=date(2025, 4, 30),
        due_at=due,
        sample_bands=DEFAULT_BANDS,
        certification_text="I certify.",
        reminder_days=[14, 7, 1],
        sampling_seed="bench-seed-0123456789",
        status=CycleStatus.CLOSED,
    )
    rows = plan(scale, seed)
    selpas = {row.selpa.code: row.selpa for row in rows}
    await Selpa.bulk_create(
        [Selpa(code=s.code, name=s.name) for s in selpas.values()], batch_size=1000
    )
    selpa_ids = {s.code: s.id for s in await Selpa.all()}
    await Lea.bulk_create([Lea(cds_code=r.cds_code, name=r.name) for r in rows], batch_size=1000)
    lea_ids = {lea.cds_code: lea.id for lea in await Lea.all()}
    memberships, submissions = [], []
    for row in rows:
        n = sample_size(row.students, DEFAULT_BANDS, 500)
        memberships.append(
            LeaCycle(
                cycle_id=cycle.id,
                lea_id=lea_ids[row.cds_code],
                selpa_id=selpa_ids[row.selpa.code],
                required=n > 0,
                swd_count=row.students,
                sample_size=n,
            )
        )
        if n == 0:
            continue
        approved = rng.random() < 0.9
        p_a = rng.uniform(0.7, 0.97)
        p_b = (1 - p_a) * rng.random()
        draws = [rng.random() for _ in range(n)]
        a = sum(1 for d in draws if d < p_a)
        b = sum(1 for d in draws if p_a <= d < p_a + p_b)
        at = due - timedelta(hours=rng.randint(1, 400))
        submissions.append(
            Submission(
                cycle_id=cycle.id,
                lea_id=lea_ids[row.cds_code],
                status=SubmissionStatus.APPROVED if approved else SubmissionStatus.SUBMITTED,
                count_a=a,
                count_b=b,
                count_c=n - a - b,
                first_submitted_at=at,
                submitted_at=at,
                review_decision=ReviewDecision.APPROVE if approved else None,
                reviewed_at=at + timedelta(days=2) if approved else None,
            )
        )
    await LeaCycle.bulk_create(memberships, batch_size=1000)
    await Submission.bulk_create(submissions, batch_size=1000)
    return cycle


async def run(scale: str, seed: int) -> None:
    async with tortoise_test_context(MODEL_MODULES, db_url="sqlite://:memory:"):
        start = time.perf_counter()
        await populate(scale, seed)
        print(f"populated {await LeaCycle.all().count():,} LEAs in "
              f"{time.perf_counter() - start:.1f} s")  # fmt: skip
        principal = Principal(role=Role.CDE_ADMIN, access_code_id=0, scope_code="bench")
        now = datetime(2025, 8, 1, 17, 0, tzinfo=UTC)
        start = time.perf_counter()
        result = await publish_results(principal, "2024-25", now)
        elapsed = time.perf_counter() - start
        assert not result.errors and result.audit is not None, result.errors
        audit = result.audit
        print(f"publish: {elapsed:.1f} s, {audit['lpSolves']:,} LP solves, "
              f"{audit['milpSolves']:,} MILP solves, {audit['rounds']} rounds")  # fmt: skip
        for grouping, g in audit["groupings"].items():
            print(
                f"  {grouping:<7} published {g['published']:>5}  primary "
                f"{g['primarySuppressed']:>5}  complementary {g['complementarySuppressed']:>5}"
                f"  narrowest {g['smallestIntervalWidth']}  full-range {g['fullRangeCells']}"
                f"  information loss {g['informationLoss']} %"
            )
        assert await PublishedReport.all().count() == 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default="california")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    asyncio.run(run(args.scale, args.seed))


if __name__ == "__main__":
    main()
