"""The 200-client burst: every client saves its LEA's counts, then submits them, all at once.

Beside it, the same use cases (``save_counts`` then ``submit_submission``) called in one
process through the ORM on the same database, pinned to the server's core: what the service
adds over its own resolvers. Every burst is checked for lost updates (each submission must end
SUBMITTED with its client's counts, two versions on), and the server's peak RSS is read from
``/proc`` (VmHWM, reset before the first burst).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import asyncpg

from bench import peer_servers
from bench.burst_data import SAMPLE, BurstLea, BurstPlan
from bench.http_client import Http
from bench.timing import LABEL, p
from models.shared.enums import Role, SubmissionStatus

SAVE = """mutation($i: SaveCountsInput!) { saveCounts(input: $i) {
  submission { version } userErrors { code message } } }"""
SUBMIT = """mutation($i: SubmitSubmissionInput!) { submitSubmission(input: $i) {
  submission { version status } userErrors { code message } } }"""
SUBMITTER = {
    "name": "Pat Example",
    "title": "Director",
    "email": "pat.example@lea.example.org",
    "phone": "9165550100",
}
RESET = """UPDATE submission SET
  status = CASE WHEN lea_id % 2 = 1 THEN 'DRAFT' ELSE 'NOT_STARTED' END,
  count_a = CASE WHEN lea_id % 2 = 1 THEN $2::int END,
  count_b = CASE WHEN lea_id % 2 = 1 THEN 0 END,
  count_c = CASE WHEN lea_id % 2 = 1 THEN 0 END,
  submitted_at = NULL, certified_at = NULL, submitter_name = NULL, submitter_email = NULL
WHERE cycle_id = $1"""
Burst = Callable[[dict[int, int]], Awaitable[list[str]]]


async def versions(db: asyncpg.Connection, plan: BurstPlan) -> dict[int, int]:
    query = "SELECT lea_id, version FROM submission WHERE cycle_id = $1"
    rows = await db.fetch(query, plan.cycle_id)
    return {row["lea_id"]: row["version"] for row in rows}


async def lost_updates(db: asyncpg.Connection, plan: BurstPlan, before: dict[int, int]) -> int:
    """LEAs whose submission is not SUBMITTED with its client's counts at two versions on."""
    rows = await db.fetch(
        "SELECT lea_id, status, count_a, count_b, count_c, version FROM submission "
        "WHERE cycle_id = $1",
        plan.cycle_id,
    )
    found = {row["lea_id"]: row for row in rows}
    lost = 0
    for lea in plan.leas:
        row = found[lea.lea_id]
        ok = (
            row["status"] == SubmissionStatus.SUBMITTED.value
            and (row["count_a"], row["count_b"], row["count_c"]) == lea.counts()
            and row["version"] == before[lea.lea_id] + 2
        )
        lost += not ok
    return lost


def over_http(port: int, plan: BurstPlan, tokens: dict[int, str]) -> Burst:
    async def client(lea: BurstLea, version: int) -> str:
        http = Http("127.0.0.1", port)
        auth = {"Authorization": f"Bearer {tokens[lea.lea_id]}"}
        try:
            saved = await http.post_json("/graphql", save_document(plan, lea, version), auth)
            answer = saved["data"]["saveCounts"]
            if answer["userErrors"]:
                return f"{lea.cds} saveCounts: {answer['userErrors']}"
            command = {
                "cycle": plan.cycle,
                "cdsCode": lea.cds,
                "submitter": SUBMITTER,
                "certify": True,
                "expectedVersion": answer["submission"]["version"],
            }
            sent = await http.post_json(
                "/graphql", {"query": SUBMIT, "variables": {"i": command}}, auth
            )
            errors = sent["data"]["submitSubmission"]["userErrors"]
            return f"{lea.cds} submitSubmission: {errors}" if errors else ""
        finally:
            await http.close()

    async def burst(before: dict[int, int]) -> list[str]:
        return await asyncio.gather(*(client(lea, before[lea.lea_id]) for lea in plan.leas))

    return burst


def save_document(plan: BurstPlan, lea: BurstLea, version: int) -> dict[str, Any]:
    a, b, c = lea.counts()
    command = {
        "cycle": plan.cycle,
        "cdsCode": lea.cds,
        "countA": a,
        "countB": b,
        "countC": c,
        "expectedVersion": version,
    }
    return {"query": SAVE, "variables": {"i": command}}


def in_process(plan: BurstPlan, cpu: int) -> Burst:
    """The same two use cases per LEA, called directly, on ``cpu`` while they run."""
    from resolvers.shared.principal import Principal
    from resolvers.submissions.save_counts import SaveCounts, save_counts
    from resolvers.submissions.submit_submission import (
        SubmitSubmission,
        SubmitterData,
        submit_submission,
    )

    submitter = SubmitterData(**SUBMITTER)

    async def client(lea: BurstLea, version: int) -> str:
        principal = Principal(
            role=Role.LEA,
            access_code_id=lea.access_code_id,
            cycle_id=plan.cycle_id,
            lea_id=lea.lea_id,
            scope_code=lea.cds,
        )
        command = SaveCounts(plan.cycle, lea.cds, *lea.counts(), expected_version=version)
        saved = await save_counts(principal, command, datetime.now(UTC))
        if saved.errors or saved.submission is None:
            return f"{lea.cds} save_counts: {saved.errors}"
        submit = SubmitSubmission(
            plan.cycle, lea.cds, submitter, certify=True, expected_version=saved.submission.version
        )
        sent = await submit_submission(principal, submit, datetime.now(UTC))
        return f"{lea.cds} submit_submission: {sent.errors}" if sent.errors else ""

    async def burst(before: dict[int, int]) -> list[str]:
        home = os.sched_getaffinity(0)
        os.sched_setaffinity(0, {cpu})
        try:
            return await asyncio.gather(*(client(lea, before[lea.lea_id]) for lea in plan.leas))
        finally:
            os.sched_setaffinity(0, home)

    return burst


async def logins(port: int, plan: BurstPlan) -> dict[int, str]:
    http = Http("127.0.0.1", port)
    tokens = {}
    for lea in plan.leas:
        document = {"query": f'mutation {{ login(accessCode: "{lea.code}") {{ token }} }}'}
        tokens[lea.lea_id] = (await http.post_json("/graphql", document))["data"]["login"]["token"]
    await http.close()
    return tokens


@dataclass
class Side:
    """One side's bursts: their seconds, the LEAs whose update was lost, the refused clients."""

    seconds: list[float] = field(default_factory=list)
    lost: int = 0
    refused: list[str] = field(default_factory=list)

    def summary(self, checked: int) -> str:
        refused = f", e.g. {self.refused[0]}" if self.refused else ""
        return f"lost {self.lost} of {checked}, refused {len(self.refused)}{refused}"


async def one_burst(db: asyncpg.Connection, plan: BurstPlan, burst: Burst, side: Side) -> None:
    """Reset the submissions, run the whole burst, time it and check every LEA after it."""
    await db.execute(RESET, plan.cycle_id, SAMPLE)
    before = await versions(db, plan)
    start = time.perf_counter()
    failures = [failure for failure in await burst(before) if failure]
    side.seconds.append(time.perf_counter() - start)
    side.refused += failures
    side.lost += await lost_updates(db, plan, before)


async def measure(
    server: peer_servers.Server, dsn: str, plan: BurstPlan, rounds: int, cpu: int
) -> None:
    from tortoise import Tortoise

    from iepimp.db import tortoise_config

    db = await asyncpg.connect(dsn)
    await Tortoise.init(config=tortoise_config(dsn))
    try:
        ours = over_http(server.port, plan, await logins(server.port, plan))
        peer = in_process(plan, cpu)
        await one_burst(db, plan, ours, Side())
        await one_burst(db, plan, peer, Side())
        reset = peer_servers.reset_peak_rss(server.pid)
        a, b = Side(), Side()
        for _ in range(rounds):
            await one_burst(db, plan, ours, a)
            await one_burst(db, plan, peer, b)
        rss = peer_servers.peak_rss_mb(server.pid)
    finally:
        await Tortoise.close_connections()
        await db.close()
    report(len(plan.leas), a, b, rounds, rss, reset)


def report(clients: int, ours: Side, peer: Side, rounds: int, rss: float, reset: bool) -> None:
    tx = 2 * clients
    a, b = ours.seconds, peer.seconds
    ratio = statistics.median(b) / statistics.median(a)
    print(
        f"{f'{clients}-client burst ({tx} tx), s/burst':{LABEL}} "
        f"ours p50 {p(a, 0.5):8.0f} p95 {p(a, 0.95):8.0f} ms | "
        f"{'ORM in-proc':12} p50 {p(b, 0.5):8.0f} p95 {p(b, 0.95):8.0f} ms | "
        f"tx/s {tx / statistics.median(a):5.0f} vs {tx / statistics.median(b):5.0f}, "
        f"ratio {ratio:5.2f} (target ≥ 0.7)"
    )
    checked = clients * rounds
    print(
        f"{'burst lost updates (target 0)':{LABEL}} ours {ours.summary(checked)} | "
        f"ORM {peer.summary(checked)}"
    )
    since = "since the first timed burst" if reset else "since the server started"
    print(f"{'server peak RSS (VmHWM)':{LABEL}} {rss:.0f} MB, {since} (target < 300 MB)")
