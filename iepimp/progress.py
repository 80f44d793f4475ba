"""Progress of the long commands (import, draw-sample, issue-codes, generate, publish): a bar
with rate and ETA on a terminal, one summary line when the output goes to a file or a pipe.

``progress(label)`` gives the ``(done, total)`` callback the use cases take; call it with
``done == total`` at the end (the use cases do), and the bar closes or the summary is printed.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Never, TextIO

from tqdm import tqdm

Progress = Callable[[int, int], None]


class _Summary:
    """No bar: one line at the end with the count, the time taken and the rate."""

    def __init__(self, label: str, unit: str, stream: TextIO) -> None:
        self.label, self.unit, self.stream = label, unit, stream
        self.started = time.monotonic()
        self.done = False

    def __call__(self, done: int, total: int) -> None:
        if self.done or done < total:
            return
        self.done = True
        seconds = max(time.monotonic() - self.started, 1e-9)
        print(
            f"{self.label}: {done:,} {self.unit} in {seconds:.1f} s ({done / seconds:,.0f}/s)",
            file=self.stream,
            flush=True,
        )


class _Bar:
    def __init__(self, label: str, unit: str, stream: TextIO) -> None:
        self.bar: tqdm[Never] | None = None
        self.label, self.unit, self.stream = label, unit, stream

    def __call__(self, done: int, total: int) -> None:
        bar = self.bar
        if bar is None:
            bar = tqdm(
                total=total, desc=self.label, unit=f" {self.unit}", file=self.stream, leave=True
            )
            self.bar = bar
        if bar.total != total:
            bar.total = total
        bar.update(done - bar.n)
        if done >= total:
            bar.close()


def progress(label: str, unit: str = "rows", stream: TextIO | None = None) -> Progress:
    """The reporter for one long step, written to ``stream`` (default: standard error)."""
    out = sys.stderr if stream is None else stream
    if out.isatty():
        return _Bar(label, unit, out)
    return _Summary(label, unit, out)
