"""Progress of the long commands: a bar with rate and ETA on a terminal, one line otherwise."""

from __future__ import annotations

import io
import re

from iepimp.progress import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar_with_rate_and_eta() -> None:
    # given a terminal, when a step reports its way to the end
    screen = Terminal()
    report = progress("drawing samples", "LEAs", stream=screen)
    for done in range(0, 1001, 100):
        report(done, 1000)
    # then a bar shows the count, the elapsed time < the time left, and the rate
    text = screen.getvalue()
    assert "drawing samples" in text and "1000/1000" in text
    assert re.search(r"\[\d\d:\d\d<\d\d:\d\d, +[\d.]+ LEAs/s\]", text), text


def test_a_pipe_gets_one_summary_line() -> None:
    # given output that is not a terminal, when a step reports its way to the end
    pipe = io.StringIO()
    report = progress("issuing codes", "codes", stream=pipe)
    for done in (0, 500, 1200, 1200):
        report(done, 1200)
    # then one line says how many, how long and how fast, and nothing else was written
    lines = pipe.getvalue().splitlines()
    assert len(lines) == 1
    assert re.fullmatch(r"issuing codes: 1,200 codes in [\d.]+ s \([\d,]+/s\)", lines[0])
