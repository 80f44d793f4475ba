"""Requests per second of the smallest query beside a minimal Starlette JSON endpoint, both on
the same uvicorn (uvloop, httptools), with one worker and with two; rounds alternate."""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from contextlib import contextmanager

from bench import peer_servers
from bench.http_client import Http, Load, requests_per_second
from bench.timing import LABEL

SMALL = '{"query":"{ cycles { name status } }"}'
ROUNDS = 3


async def compare(
    label: str, port: int, bare_port: int, seconds: float, cpu: int, rounds: int = ROUNDS
) -> str:
    """One line: median throughput and latency of each side over ``rounds`` alternating runs."""
    check = Http("127.0.0.1", port)
    answer = await check.post_json("/graphql", {"query": "{ cycles { name status } }"})
    assert answer["data"]["cycles"], answer
    await check.close()
    ours: list[Load] = []
    bare: list[Load] = []
    for _ in range(rounds):
        ours.append(
            await requests_per_second(
                "127.0.0.1",
                port,
                "/graphql",
                body=SMALL.encode(),
                headers={"Content-Type": "application/json"},
                seconds=seconds,
                cpu=cpu,
            )
        )
        bare.append(
            await requests_per_second("127.0.0.1", bare_port, "/hello", seconds=seconds, cpu=cpu)
        )
    a, b = _median(ours), _median(bare)
    return (
        f"{label + ' (' + a.tool + ')':{LABEL}} ours {a.per_second:6.0f}/s p50 {a.p50_ms:6.2f} "
        f"p95 {a.p95_ms:6.2f} ms | Starlette {b.per_second:6.0f}/s p50 {b.p50_ms:6.2f} "
        f"p95 {b.p95_ms:6.2f} ms | ratio {a.per_second / b.per_second:5.3f} "
        "(target ≥ 0.10, aim 0.25)"
    )


def _median(loads: list[Load]) -> Load:
    return Load(
        statistics.median(load.per_second for load in loads),
        statistics.median(load.p50_ms for load in loads),
        statistics.median(load.p95_ms for load in loads),
        loads[0].tool,
    )


@contextmanager
def two_workers(env: dict[str, str], cpus: set[int]) -> Iterator[tuple[int, int]]:
    """The service and the bare endpoint, each with two uvicorn workers on ``cpus``."""
    with (
        peer_servers.uvicorn("iepimp x2", "iepimp.asgi:app", env, cpus, workers=2) as ours,
        peer_servers.uvicorn(
            "json_agg x2", "bench.peers.json_agg_app:app", env, cpus, workers=2
        ) as bare,
    ):
        yield ours.port, bare.port


async def measure(
    env: dict[str, str],
    ports: tuple[int, int],
    seconds: float,
    server_cpu: int,
    client_cpu: int,
) -> None:
    one = f"small query ×1 worker, core {server_cpu}"
    print(await compare(one, *ports, seconds, client_cpu))
    both = {server_cpu, client_cpu}
    with two_workers(env, both) as pair:
        label = f"small query ×2 workers, cores {'+'.join(map(str, sorted(both)))}"
        print(await compare(label, *pair, seconds, client_cpu))
    print(
        f"{'':{LABEL}} (with 2 workers each server may use both cores and the load tool shares "
        f"core {client_cpu} with it: the machine has only these {len(both)})"
    )
