"""The CDE pipeline at scale: generate → import directory → import roster → draw → issue codes.

Each step runs as its own ``iepimp`` process; the script prints its wall time and peak memory
(maximum resident set size of that process). Usage::

    .venv/bin/python bench/pipeline_bench.py --db sqlite --db postgres [--scale california]

PostgreSQL: a scratch database ``iepimp_bench`` on ``--pg`` (default 127.0.0.1:5432, user
postgres) is dropped and created for the run. All data is synthetic.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CYCLE = "2024-25"
SECRET = "bench-secret-key-0123456789abcdef0123456789abcdef"  # noqa: S105 - synthetic


def _step_main(argv: list[str]) -> int:
    """Run one CLI command in this process and report its peak memory on the last line."""
    from iepimp import cli

    if os.environ.get("BENCH_SCHEMA") == "generate":
        from tortoise import Tortoise

        async def create_tables(config: dict[str, object]) -> None:
            await Tortoise.init(config=config)
            await Tortoise.generate_schemas(safe=True)
            await Tortoise.close_connections()

        cli.migrate_database = create_tables  # type: ignore[assignment]
    code = cli.main(argv)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"peak_mib": round(peak_kib / 1024, 1)}))
    return code


def run_step(label: str, argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, __file__, "--step", *argv],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"{label} failed with status {proc.returncode}")
    lines = proc.stdout.strip().splitlines()
    peak = float(json.loads(lines[-1])["peak_mib"])
    summary = lines[-2] if len(lines) > 1 else ""
    print(f"  {label:<24} {wall:8.1f} s  {peak:8.1f} MiB   {summary[:90]}", flush=True)
    return wall, peak


async def _recreate_pg(server: str, name: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(f"postgres://{server}/postgres")
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


def pipeline(db: str, scale: str, seed: int, work: Path, pg_server: str, schema: str) -> None:
    env = dict(os.environ, IEPIMP_SECRET_KEY=SECRET, IEPIMP_ENV="development", BENCH_SCHEMA=schema)
    if db == "postgres":
        asyncio.run(_recreate_pg(pg_server, "iepimp_bench"))
        env["DATABASE_URL"] = f"postgres://{pg_server}/iepimp_bench"
    else:
        env["DATABASE_URL"] = f"sqlite://{work / 'bench.sqlite3'}"
    data = work / "data"
    codes = work / f"codes-{db}.csv"
    codes.unlink(missing_ok=True)
    print(f"\n{db} — scale {scale}, seed {seed}")
    steps = [
        ("generate", ["generate", "--scale", scale, "--seed", str(seed), "--out", str(data)]),
        (
            "migrate + create cycle",
            [
                "create-cycle",
                "--name",
                CYCLE,
                "--window-start",
                "2025-03-03",
                "--window-end",
                "2025-04-30",
                "--due",
                "2025-06-30 23:59",
                "--seed",
                f"bench-sampling-seed-{seed:08d}",
            ],
        ),
        (
            "import directory",
            ["import", "directory", "--cycle", CYCLE, str(data / "directory.csv")],
        ),
        ("import roster", ["import", "roster", "--cycle", CYCLE, str(data / "roster.csv")]),
        (
            "draw sample + report",
            [
                "draw-sample",
                "--cycle",
                CYCLE,
                "--report",
                str(work / f"sampling-{db}.csv"),
            ],
        ),
        ("issue codes", ["issue-codes", "--cycle", CYCLE, "--out", str(codes)]),
    ]
    if db == "sqlite":
        (work / "bench.sqlite3").unlink(missing_ok=True)
    total = 0.0
    peak = 0.0
    for label, argv in steps:
        wall, mib = run_step(label, argv, env)
        total += wall
        peak = max(peak, mib)
    print(f"  {'whole pipeline':<24} {total:8.1f} s  {peak:8.1f} MiB (largest step)")
    run_step(
        "re-import roster (no-op)",
        ["import", "roster", "--cycle", CYCLE, str(data / "roster.csv")],
        env,
    )


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--step":
        return _step_main(sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", action="append", choices=["sqlite", "postgres"])
    parser.add_argument("--scale", default="california")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--pg", default="postgres@127.0.0.1:5432")
    parser.add_argument("--work", help="working directory (default: a temporary one)")
    parser.add_argument(
        "--schema",
        choices=["migrate", "generate"],
        default="migrate",
        help="build tables with the committed migrations, or straight from the models",
    )
    args = parser.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="iepimp-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"working directory: {work}; {os.cpu_count()} CPUs")
    for db in args.db or ["sqlite", "postgres"]:
        pipeline(db, args.scale, args.seed, work, args.pg, args.schema)
    return 0


if __name__ == "__main__":
    sys.exit(main())
