"""The portals' hot queries beside their peers, in one interleaved run (issue targets in the
README's benchmark section).

    make bench        # or: .venv/bin/python -m bench.hot_queries [--leas 2300] [--runs 30]

Builds a throw-away PostgreSQL database (``bench.hot_data``), then serves it three ways, each
server pinned to core 0: the service (one uvicorn worker, production settings), PostGraphile 4
(npm, ``bench/peers``) and a hand-written Starlette + asyncpg endpoint (``json_agg``). The load
and the bare SQL run on core 1. Requests to the service and to its peer alternate, so both see
the same machine; every line prints p50 and p95 of each side and the ratio of the p50s (for
throughput, requests per second and their ratio).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg

from bench import hot_data, peer_servers
from bench.http_client import Http, requests_per_second
from models.shared.enums import ReportGrouping, Role
from resolvers.shared.principal import Principal

SECRET = "bench-secret-key-0123456789abcdef0123456789"  # noqa: S105 - synthetic
SERVER_CPU, CLIENT_CPU = 0, 1
OVERVIEW = """query Overview($cycle: String!, $after: String) {
  leas(cycle: $cycle, first: 500, after: $after) {
    edges { node { cdsCode name selpa { code name } dueAt
      submission { status countA countB countC version submittedAt reviewedAt } } }
    pageInfo { hasNextPage endCursor } } }"""
PEER_OVERVIEW = """query Overview($cycleId: Int!, $first: Int!) {
  allLeaCycles(condition: {cycleId: $cycleId, active: true}, first: $first, orderBy: ID_ASC) {
    nodes { dueAtExtension cycleByCycleId { dueAt }
      leaByLeaId { cdsCode name
        submissionsByLeaId(condition: {cycleId: $cycleId}) {
          nodes { status countA countB countC version submittedAt reviewedAt } } }
      selpaBySelpaId { code name } } } }"""
REPORT = """query Report($cycle: String!, $g: ReportGrouping!) {
  report(cycle: $cycle, groupBy: $g) {
    groupBy key label county selpaCode
    leaCounts { required exempt notStarted draft submitted approved rejected }
    students { countA countB countC total
      shareA { numerator denominator percent }
      shareB { numerator denominator percent }
      shareC { numerator denominator percent } }
    responseRate { numerator denominator percent }
    timeliness { numerator denominator percent }
    extensionsGranted } }"""
STUDENTS = """query Students($cycle: String!, $cds: String!) {
  lea(cycle: $cycle, cdsCode: $cds) { sampledStudents(first: 500) {
    edges { node { ssid firstName lastName birthDate grade disabilityCategory } } } } }"""
SMALL = '{"query":"{ cycles { name status } }"}'

Timed = Callable[[], Awaitable[object]]


async def timed(action: Timed) -> float:
    start = time.perf_counter()
    await action()
    return time.perf_counter() - start


async def interleaved(ours: Timed, peer: Timed, runs: int) -> tuple[list[float], list[float]]:
    for _ in range(3):
        await ours()
        await peer()
    a, b = [], []
    for _ in range(runs):
        a.append(await timed(ours))
        b.append(await timed(peer))
    return a, b


def p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def line(label: str, ours: list[float], peer: list[float], peer_name: str, target: str) -> str:
    ratio = statistics.median(ours) / statistics.median(peer)
    return (
        f"{label:34} ours p50 {p(ours, 0.5):8.2f} p95 {p(ours, 0.95):8.2f} ms | "
        f"{peer_name:12} p50 {p(peer, 0.5):8.2f} p95 {p(peer, 0.95):8.2f} ms | "
        f"ratio {ratio:5.2f} (target {target})"
    )


async def run(args: argparse.Namespace) -> None:
    name = await hot_data.create_database()
    dsn = hot_data.dsn_for(name)
    env = {
        **os.environ,
        "IEPIMP_SECRET_KEY": SECRET,
        "IEPIMP_ENV": "production",
        "DATABASE_URL": dsn,
        "IEPIMP_MAIL_WORKER": "false",
        "BENCH_PG_DSN": dsn,
    }
    os.sched_setaffinity(0, {CLIENT_CPU})
    try:
        hot_data.migrate(dsn, env)
        built = time.perf_counter()
        info = await hot_data.fill(dsn, SECRET, args.leas, args.selpas)
        print(
            f"{args.leas} LEAs, {args.selpas} SELPAs: built in {time.perf_counter() - built:.1f} s"
        )
        with (
            peer_servers.uvicorn("iepimp", "iepimp.asgi:app", env, SERVER_CPU) as ours,
            peer_servers.postgraphile(dsn, env, SERVER_CPU) as graphile,
            peer_servers.uvicorn(
                "json_agg", "bench.peers.json_agg_app:app", env, SERVER_CPU
            ) as agg,
        ):
            await measure(args, info, dsn, ours.port, graphile.port, agg.port)
    finally:
        await hot_data.drop_database(name)


async def measure(
    args: argparse.Namespace, info: dict[str, Any], dsn: str, port: int, gport: int, aport: int
) -> None:
    runs, cycle = args.runs, info["cycle"]
    client, graphile, agg = (
        Http("127.0.0.1", port),
        Http("127.0.0.1", gport),
        Http("127.0.0.1", aport),
    )
    login = await client.post_json(
        "/graphql",
        {"query": f'mutation {{ login(accessCode: "{info["code"]}") {{ token }} }}'},
    )
    auth = {"Authorization": f"Bearer {login['data']['login']['token']}"}
    db = await asyncpg.connect(dsn)

    async def ours_page(after: str | None = None) -> dict[str, Any]:
        variables = {"cycle": cycle, "after": after}
        return await client.post_json("/graphql", {"query": OVERVIEW, "variables": variables}, auth)

    async def peer_page(first: int) -> dict[str, Any]:
        variables = {"cycleId": info["cycle_id"], "first": first}
        return await graphile.post_json(
            "/graphql", {"query": PEER_OVERVIEW, "variables": variables}
        )

    async def ours_all() -> int:
        after, pages = None, 0
        while True:
            page = (await ours_page(after))["data"]["leas"]["pageInfo"]
            pages += 1
            if not page["hasNextPage"]:
                return pages
            after = page["endCursor"]

    async def agg_page() -> object:
        return await agg.request("GET", f"/overview/{cycle}?first=500")

    print(f"requests for all LEAs: ours {await ours_all()}, PostGraphile 1")
    a, b = await interleaved(ours_page, lambda: peer_page(500), runs)
    print(line("LEA overview page (500)", a, b, "PostGraphile", "≤ 1.0"))
    a, b = await interleaved(ours_page, agg_page, runs)
    print(line("LEA overview page (500)", a, b, "json_agg", "≤ 3"))
    a, b = await interleaved(ours_all, lambda: peer_page(args.leas), max(5, runs // 3))
    print(line(f"all {args.leas} LEAs", a, b, "PostGraphile", "≤ 1.0"))

    principal = Principal(role=Role.CDE_ADMIN, access_code_id=0)
    for grouping in ReportGrouping:
        await measure_report(client, auth, db, dsn, principal, info, grouping, runs)

    students = {"query": STUDENTS, "variables": {"cycle": cycle, "cds": info["cds"]}}

    async def ours_students() -> object:
        return await client.post_json("/graphql", students, auth)

    async def agg_students() -> object:
        return await agg.request("GET", f"/students/{cycle}/{info['cds']}")

    a, b = await interleaved(ours_students, agg_students, runs)
    print(line("500 sampled students", a, b, "json_agg", "≤ 3"))

    async def leas_csv() -> object:
        status, body = await client.request("GET", f"/exports/{cycle}/leas.csv", b"", auth)
        assert status == 200, body[:200]
        return body

    async def copy() -> object:
        sink = io.BytesIO()
        await db.copy_from_query(
            "SELECT l.cds_code, l.name, s.code, sub.status, sub.count_a, sub.count_b, "
            "sub.count_c FROM lea_cycle m JOIN lea l ON l.id = m.lea_id "
            "LEFT JOIN selpa s ON s.id = m.selpa_id LEFT JOIN submission sub "
            "ON sub.cycle_id = m.cycle_id AND sub.lea_id = m.lea_id WHERE m.cycle_id = $1",
            info["cycle_id"],
            output=sink,
            format="csv",
        )
        return sink

    a, b = await interleaved(leas_csv, copy, max(5, runs // 3))
    print(line("leas.csv, all LEAs", a, b, "COPY", "≤ 2"))
    await db.close()
    for closing in (client, graphile, agg):
        await closing.close()

    ours_rps, tool = requests_per_second(
        "127.0.0.1",
        port,
        "/graphql",
        body=SMALL.encode(),
        headers={"Content-Type": "application/json"},
        seconds=args.seconds,
        cpu=CLIENT_CPU,
    )
    bare_rps, _ = requests_per_second(
        "127.0.0.1", aport, "/hello", seconds=args.seconds, cpu=CLIENT_CPU
    )
    print(
        f"{'small query, requests/s (' + tool + ')':34} ours {ours_rps:8.0f} | minimal Starlette "
        f"{bare_rps:8.0f} | ratio {ours_rps / bare_rps:5.3f} (target ≥ 0.10, aim 0.25)"
    )


async def measure_report(
    client: Http,
    auth: dict[str, str],
    db: asyncpg.Connection,
    dsn: str,
    principal: Principal,
    info: dict[str, Any],
    grouping: ReportGrouping,
    runs: int,
) -> None:
    """The report answered from the store (hit) and computed anew after a write (miss)."""
    sql, values = await report_statement(dsn, principal, grouping)
    document = {"query": REPORT, "variables": {"cycle": info["cycle"], "g": grouping.value}}

    async def report() -> object:
        return await client.post_json("/graphql", document, auth)

    async def bare() -> object:
        return await db.fetch(sql, *values)

    a, b = await interleaved(report, bare, runs)
    print(line(f"report {grouping.value} (hit)", a, b, "SQL", "≤ 1.0"))
    a, b = [], []
    bump = "UPDATE cycle SET version = version + 1 WHERE id = $1"
    for _ in range(runs):
        await db.execute(bump, info["cycle_id"])
        a.append(await timed(report))
        b.append(await timed(bare))
    target = "≤ 2" if grouping is ReportGrouping.LEA else "≤ 1.5"
    print(line(f"report {grouping.value} (miss)", a, b, "SQL", target))


async def report_statement(
    dsn: str, principal: Principal, grouping: ReportGrouping
) -> tuple[str, list[Any]]:
    """The report's own SQL, as the service would send it, for the bare-SQL side."""
    from tortoise import Tortoise

    from iepimp.db import tortoise_config
    from models import Cycle
    from resolvers.reports.aggregate import report_sql

    await Tortoise.init(config=tortoise_config(dsn))
    try:
        cycle = await Cycle.get(name="2024-25")
        return report_sql("postgres", principal, cycle, [grouping])
    finally:
        await Tortoise.close_connections()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leas", type=int, default=2300)
    parser.add_argument("--selpas", type=int, default=140)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
