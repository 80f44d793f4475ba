"""The publication at the end of the whole-year test: the frozen, suppressed snapshot that
``publicReport`` serves, checked against the internal figures (SPEC §3.8)."""

from __future__ import annotations

from typing import Any

from tests.support.workflow_support import CYCLE
from tests.support.year_support import Office

PUBLISH = (
    "mutation($c: String!) { publishResults(cycle: $c) { publishedAt dryRun "
    "audit { groupings { groupBy smallestIntervalWidth } } userErrors { code } } }"
)
PUBLIC = (
    "query($c: String!, $g: ReportGrouping!) { publicReport(cycle: $c, groupBy: $g) { key "
    "status exemptLeas countA { value suppressed } countB { value suppressed } "
    "countC { value suppressed } total { value suppressed } } }"
)
WITHHELD = "*"
MEASURES = ("countA", "countB", "countC", "total")


def _cell(cell: dict[str, Any]) -> int | str | None:
    """The published value, ``*`` when withheld, None when there is nothing to publish."""
    if cell["suppressed"]:
        assert cell["value"] is None
        return WITHHELD
    return cell["value"]  # type: ignore[no-any-return]


async def publish(office: Office) -> dict[str, list[tuple[Any, ...]]]:
    """Publish the cycle; each grouping's public rows as (key, status, exempt LEAs, A, B, C,
    total). Every sensitive count of the snapshot is certified an interval of at least 11."""
    got = (await office.as_admin(PUBLISH, c=CYCLE)).data["publishResults"]
    assert got["userErrors"] == [] and got["dryRun"] is False and got["publishedAt"]
    widths = [g["smallestIntervalWidth"] for g in got["audit"]["groupings"]]
    assert all(w is None or w >= 11 for w in widths), widths
    rows: dict[str, list[tuple[Any, ...]]] = {}
    for grouping in ("STATE", "COUNTY", "SELPA", "LEA"):
        public = (await office.as_admin(PUBLIC, c=CYCLE, g=grouping)).data["publicReport"]
        rows[grouping] = [
            (r["key"], r["status"], r["exemptLeas"], *(_cell(r[m]) for m in MEASURES))
            for r in public
        ]
    return rows
