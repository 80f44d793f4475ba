"""Interleaved timing of the service beside a peer, and the line each comparison prints."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable

Timed = Callable[[], Awaitable[object]]
LABEL = 40


async def timed(action: Timed) -> float:
    start = time.perf_counter()
    await action()
    return time.perf_counter() - start


async def interleaved(
    ours: Timed, peer: Timed, runs: int, warm: int = 3
) -> tuple[list[float], list[float]]:
    """Seconds per call of each side, the two alternating so both see the same machine."""
    for _ in range(warm):
        await ours()
        await peer()
    a, b = [], []
    for _ in range(runs):
        a.append(await timed(ours))
        b.append(await timed(peer))
    return a, b


def p(samples: list[float], q: float) -> float:
    """The ``q`` quantile (nearest rank) of samples in seconds, in milliseconds."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def line(label: str, ours: list[float], peer: list[float], peer_name: str, target: str) -> str:
    """Latencies of both sides and the ratio of their p50s (ours over the peer's)."""
    ratio = statistics.median(ours) / statistics.median(peer)
    return (
        f"{label:{LABEL}} ours p50 {p(ours, 0.5):8.2f} p95 {p(ours, 0.95):8.2f} ms | "
        f"{peer_name:12} p50 {p(peer, 0.5):8.2f} p95 {p(peer, 0.95):8.2f} ms | "
        f"ratio {ratio:5.2f} (target {target})"
    )
