"""The portals' hot queries beside their peers, in one interleaved run (each line names its
target).

    make bench        # or: .venv/bin/python -m bench.hot_queries [--leas 2300] [--runs 30]

Builds a throw-away PostgreSQL database (``bench.hot_data``), then serves it three ways, each
server pinned to core 0: the service (one uvicorn worker, production settings), PostGraphile 4
(npm, ``bench/peers``) and a hand-written Starlette + asyncpg endpoint (``json_agg``). The load
and the bare SQL run on core 1. Requests to the service and to its peer alternate, so both see
the same machine; every line prints p50 and p95 of each side and the ratio of the p50s (for
throughput, requests per second and their ratio). Then the small query's throughput
(``bench.throughput``) and the 200-client write burst (``bench.burst``).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import os
import time
from pathlib import Path
from typing import Any

import asyncpg

from bench import burst, hot_data, peer_servers, throughput
from bench.http_client import Http
from bench.timing import interleaved, line, timed
from models.shared.enums import ReportGrouping, Role
from resolvers.shared.principal import Principal

SECRET = "bench-secret-key-0123456789abcdef0123456789"  # noqa: S105 - synthetic
SERVER_CPU, CLIENT_CPU = 0, 1
PAGE = 500
OVERVIEW = """query Overview($cycle: String!, $first: Int!, $after: String) {
  leas(cycle: $cycle, first: $first, after: $after) {
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
PAGING_ERRORS = {"QUERY_LIMIT", "INVALID_INPUT"}
COPY_LEAS = "\n".join(
    row
    for row in (Path(__file__).parent / "peers" / "leas_copy.sql").read_text().splitlines()
    if not row.startswith("--")
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
            try:
                await measure(args, info, dsn, ours.port, graphile.port, agg.port)
                await throughput.measure(
                    env, (ours.port, agg.port), args.seconds, SERVER_CPU, CLIENT_CPU
                )
                rounds = max(3, args.runs // 6)
                await burst.measure(ours, dsn, info["burst"], rounds, SERVER_CPU)
            except Exception:
                for server in (ours, graphile, agg):
                    print(f"--- {server.name} log ---\n{server.log_tail()}")
                raise
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

    async def ours_page(first: int = PAGE, after: str | None = None) -> dict[str, Any]:
        variables = {"cycle": cycle, "first": first, "after": after}
        return await client.post_json("/graphql", {"query": OVERVIEW, "variables": variables}, auth)

    async def peer_page(first: int) -> dict[str, Any]:
        variables = {"cycleId": info["cycle_id"], "first": first}
        return await graphile.post_json(
            "/graphql", {"query": PEER_OVERVIEW, "variables": variables}
        )

    async def ours_paged() -> int:
        after, pages, rows = None, 0, 0
        while True:
            leas = (await ours_page(PAGE, after))["data"]["leas"]
            pages, rows = pages + 1, rows + len(leas["edges"])
            if not leas["pageInfo"]["hasNextPage"]:
                return rows
            after = leas["pageInfo"]["endCursor"]

    async def ours_at_once() -> bytes:
        variables = {"cycle": cycle, "first": args.leas, "after": None}
        return await client.post_ok("/graphql", {"query": OVERVIEW, "variables": variables}, auth)

    async def ours_raw_page() -> bytes:
        variables = {"cycle": cycle, "first": PAGE, "after": None}
        return await client.post_ok("/graphql", {"query": OVERVIEW, "variables": variables}, auth)

    async def peer_raw_page(first: int) -> bytes:
        variables = {"cycleId": info["cycle_id"], "first": first}
        return await graphile.post_ok("/graphql", {"query": PEER_OVERVIEW, "variables": variables})

    async def agg_page() -> object:
        return await agg.get_ok(f"/overview/{cycle}?first={PAGE}")

    ours_all, how = await all_leas_mode(client, auth, cycle, args.leas, ours_at_once, ours_paged)
    print(f"requests for all {args.leas} LEAs: ours {how}; PostGraphile 1")
    assert len((await ours_page())["data"]["leas"]["edges"]) == PAGE
    assert len((await peer_page(PAGE))["data"]["allLeaCycles"]["nodes"]) == PAGE
    a, b = await interleaved(ours_raw_page, lambda: peer_raw_page(PAGE), runs)
    print(line(f"LEA overview page ({PAGE})", a, b, "PostGraphile", "≤ 1.0"))
    a, b = await interleaved(ours_raw_page, agg_page, runs)
    print(line(f"LEA overview page ({PAGE})", a, b, "json_agg", "≤ 3"))
    a, b = await interleaved(ours_all, lambda: peer_raw_page(args.leas), max(5, runs // 3))
    print(line(f"all {args.leas} LEAs", a, b, "PostGraphile", "≤ 1.0"))

    db = await asyncpg.connect(dsn, server_settings={"timezone": "America/Los_Angeles"})
    principal = Principal(role=Role.CDE_ADMIN, access_code_id=0)
    for grouping in ReportGrouping:
        await measure_report(client, auth, db, dsn, principal, info, grouping, runs)
    await measure_students(client, agg, auth, info, runs)
    await measure_csv(client, auth, db, info, max(5, runs // 3))
    await db.close()
    for closing in (client, graphile, agg):
        await closing.close()


async def all_leas_mode(
    client: Http, auth: dict[str, str], cycle: str, total: int, at_once: Any, paged: Any
) -> tuple[Any, str]:
    """One request with ``first: total`` if the service takes it, else pages of PAGE (when it
    refuses the size with QUERY_LIMIT or INVALID_INPUT); and how many requests that takes."""
    variables = {"cycle": cycle, "first": total, "after": None}
    _, answer = await client.graphql("/graphql", {"query": OVERVIEW, "variables": variables}, auth)
    codes = {error.get("extensions", {}).get("code") for error in answer.get("errors") or []}
    if not codes:
        assert len(answer["data"]["leas"]["edges"]) == total, "not every LEA in one request"
        return at_once, "1"
    if not codes <= PAGING_ERRORS:
        raise RuntimeError(f"first: {total} answered {json.dumps(answer)[:300]}")
    assert await paged() == total
    pages = -(-total // PAGE)
    refused = ", ".join(sorted(codes))
    return paged, f"{pages} (first: {total} refused with {refused}; pages of {PAGE})"


async def measure_students(
    client: Http, agg: Http, auth: dict[str, str], info: dict[str, Any], runs: int
) -> None:
    """One LEA's 500 sampled students; both sides must answer the same rows and fields."""
    cycle, cds = info["cycle"], info["cds"]
    document = {"query": STUDENTS, "variables": {"cycle": cycle, "cds": cds}}

    async def ours() -> bytes:
        return await client.post_ok("/graphql", document, auth)

    async def peer() -> bytes:
        return await agg.get_ok(f"/students/{cycle}/{cds}")

    answer = await client.post_json("/graphql", document, auth)
    mine = [edge["node"] for edge in answer["data"]["lea"]["sampledStudents"]["edges"]]
    theirs = json.loads(await peer())["data"]["students"]
    assert len(mine) == 500 and mine == theirs, "json_agg answers other students than ours"
    a, b = await interleaved(ours, peer, runs)
    print(line("500 sampled students", a, b, "json_agg", "≤ 3"))


async def measure_csv(
    client: Http, auth: dict[str, str], db: asyncpg.Connection, info: dict[str, Any], runs: int
) -> None:
    """``leas.csv`` beside COPY of the same columns and rows."""

    async def leas_csv() -> bytes:
        return await client.get_ok(f"/exports/{info['cycle']}/leas.csv", auth)

    async def copy() -> io.BytesIO:
        sink = io.BytesIO()
        await db.copy_from_query(COPY_LEAS, info["cycle_id"], output=sink, format="csv")
        return sink

    ours_rows = list(csv.reader(io.StringIO((await leas_csv()).decode("utf-8-sig"))))[1:]
    copied = list(csv.reader(io.StringIO((await copy()).getvalue().decode())))
    differs = [(a, b) for a, b in zip(ours_rows, copied, strict=True) if a != b]
    assert not differs, f"COPY answers other rows than leas.csv, e.g. {differs[0]}"
    a, b = await interleaved(leas_csv, copy, runs)
    print(line("leas.csv, all LEAs", a, b, "COPY", "≤ 2"))


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
        return await client.post_ok("/graphql", document, auth)

    rows = (await client.post_json("/graphql", document, auth))["data"]["report"]
    assert len(rows) == len(await db.fetch(sql, *values)), "the report answers other rows"

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
    if grouping is ReportGrouping.LEA:
        a, b = [], []
        rename = "UPDATE lea SET name = 'Synthetic LEA ' || id || ' (' || $1::int || ')'"
        for run in range(runs):
            await db.execute(rename, run)
            a.append(await timed(report))
            b.append(await timed(bare))
        print(line("report LEA (miss, every row new)", a, b, "SQL", "none: every label changed"))


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
