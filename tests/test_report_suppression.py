"""Disclosure control of published snapshots (SPEC §3.8), as pure functions.

Every snapshot is attacked by ``tests.support.interval_attacker``, written apart from
``models.reports``: from the published rows and each reported LEA's sample size alone it
computes every withheld cell's interval, which must be at least 11 wide for every sensitive
cell (or all of [0, U] for a group total U under 11).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.cycles.bands import DEFAULT_BANDS, sample_size
from models.reports.figures import GroupFigures
from models.reports.public_snapshot import build_snapshot
from models.shared.enums import ReportGrouping
from tests.support.interval_attacker import intervals, unprotected

MEASURES = ("A", "B", "C", "TOTAL")
WHEN = datetime(2025, 8, 1, 17, 0, tzinfo=UTC)
DUE = datetime(2025, 7, 1, 6, 59, tzinfo=UTC)

Lea = tuple[str, str, str, str, tuple[int, int, int]]
"""cds, county, SELPA, status (REPORTED / EXEMPT / NOT_REPORTED), A/B/C."""


def figures_of(leas: list[Lea]) -> list[GroupFigures]:
    sums: dict[tuple[ReportGrouping, str], list[int]] = defaultdict(lambda: [0] * 5)
    rows = []
    for cds, county, selpa, status, (a, b, c) in leas:
        counted = (a, b, c) if status == "REPORTED" else (0, 0, 0)
        flags = (status == "EXEMPT", status == "REPORTED")
        rows.append(_row(ReportGrouping.LEA, cds, selpa, flags, counted))
        for group in (
            (ReportGrouping.STATE, "CA"),
            (ReportGrouping.COUNTY, county),
            (ReportGrouping.SELPA, selpa),
        ):
            s = sums[group]
            s[0] += int(flags[0])
            s[1] += int(flags[1])
            for i in range(3):
                s[2 + i] += counted[i]
    for (grouping, key), s in sums.items():
        rows.append(_row(grouping, key, None, (bool(s[0]), bool(s[1])), tuple(s[2:])))
    return rows


def _row(
    grouping: ReportGrouping,
    key: str,
    selpa: str | None,
    flags: tuple[bool, bool],
    counts: tuple[int, ...],
) -> GroupFigures:
    exempt, approved = flags
    return GroupFigures(
        grouping=grouping, key=key, label=key, selpa_code=selpa,
        required=int(not exempt), exempt=int(exempt), not_started=0, draft=0, submitted=0,
        approved=int(approved), rejected=0, count_a=counts[0], count_b=counts[1],
        count_c=counts[2], on_time=0, extensions_granted=0,
    )  # fmt: skip


def publish(leas: list[Lea]) -> dict[str, Any]:
    approvals = {cds: WHEN for cds, _, _, status, _ in leas if status == "REPORTED"}
    return build_snapshot(figures_of(leas), WHEN, ["APPROVED"], DUE, approvals).snapshot


def truth(leas: list[Lea]) -> dict[tuple[str, str, str], int]:
    values: dict[tuple[str, str, str], int] = defaultdict(int)
    for cds, county, selpa, status, abc in leas:
        counted = abc if status == "REPORTED" else (0, 0, 0)
        groups = [("STATE", "CA"), ("COUNTY", county), ("SELPA", selpa)]
        if status == "REPORTED":
            groups.append(("LEA", cds))
        for group in groups:
            for m, v in zip(MEASURES, (*counted, sum(counted)), strict=True):
                values[(*group, m)] += v
    return dict(values)


def sensitive(values: dict[tuple[str, str, str], int]) -> set[tuple[str, str, str]]:
    return {
        (g, k, m)
        for (g, k, m), v in values.items()
        if m != "TOTAL" and (v <= 10 or values[(g, k, "TOTAL")] <= 10)
    }


def sizes(leas: list[Lea]) -> dict[str, int]:
    return {cds: sum(abc) for cds, _, _, status, abc in leas if status == "REPORTED"}


def row(snapshot: dict[str, Any], grouping: str, key: str) -> dict[str, Any]:
    return next(r for r in snapshot["groupings"][grouping] if r["key"] == key)


# --- the three leaks, as regression tests --------------------------------------------------


def test_zeros_are_not_given_away_by_their_neighbours() -> None:
    # given an LEA with A = 40, B = 0, C = 0 beside two others in its county and SELPA
    leas: list[Lea] = [
        ("01000000000001", "01", "0100", "REPORTED", (40, 0, 0)),
        ("01000000000002", "01", "0100", "REPORTED", (50, 20, 30)),
        ("01000000000003", "01", "0100", "REPORTED", (60, 25, 35)),
    ]
    # when
    snapshot = publish(leas)
    # then A = 40 of 40 is not shown (it would give B = C = 0 away), and the attacker who
    # knows counts are non-negative still cannot narrow B or C below 11 values
    assert row(snapshot, "LEA", "01000000000001")["cells"]["A"]["value"] is None
    found = intervals(snapshot, sizes(leas))
    b = found[("LEA", "01000000000001", "B")]
    assert b[0] == 0 and b[1] - b[0] >= 11
    assert unprotected(snapshot, sizes(leas), sensitive(truth(leas))) == {}


def test_the_reason_says_nothing_about_the_bound() -> None:
    # given an LEA with 40, 0, 11: B is small, C is not
    leas: list[Lea] = [
        ("01000000000001", "01", "0100", "REPORTED", (40, 0, 11)),
        ("01000000000002", "01", "0100", "REPORTED", (45, 14, 22)),
        ("01000000000003", "01", "0100", "REPORTED", (70, 19, 13)),
    ]
    # when
    snapshot = publish(leas)
    # then one marker for every withheld value, and B is not pinned
    reasons = {
        cell["reason"]
        for rows in snapshot["groupings"].values()
        for r in rows
        for cell in r["cells"].values()
        if cell["suppressed"]
    }
    assert reasons == {"SUPPRESSED"}
    assert unprotected(snapshot, sizes(leas), sensitive(truth(leas))) == {}


def test_exempt_leas_are_shown_as_exempt_and_their_zeros_do_not_help() -> None:
    # given the sandbox's 2023-24 shape: a charter with A = 17 of 20 in a SELPA with an exempt
    # LEA and a district
    leas: list[Lea] = [
        ("19000000000001", "19", "1900", "REPORTED", (17, 2, 1)),
        ("19000000000002", "19", "1900", "EXEMPT", (0, 0, 0)),
        ("19000000000003", "19", "1900", "REPORTED", (150, 30, 20)),
        ("19000000000004", "19", "1900", "NOT_REPORTED", (0, 0, 0)),
    ]
    # when
    snapshot = publish(leas)
    # then the exempt and the unreported LEA are rows of their own, without counts
    exempt = row(snapshot, "LEA", "19000000000002")
    missing = row(snapshot, "LEA", "19000000000004")
    assert (exempt["status"], missing["status"]) == ("EXEMPT", "NOT_REPORTED")
    for r in (exempt, missing):
        assert all(c["value"] is None and not c["suppressed"] for c in r["cells"].values())
    assert row(snapshot, "SELPA", "1900")["exemptLeas"] == 1
    # and the charter's 17 and its small counts are not worked out
    assert row(snapshot, "LEA", "19000000000001")["cells"]["A"]["value"] is None
    assert unprotected(snapshot, sizes(leas), sensitive(truth(leas))) == {}
    # and the snapshot says when the data were obtained
    assert snapshot["dueAt"] == DUE.isoformat()
    assert row(snapshot, "LEA", "19000000000001")["approvedAt"] == WHEN.isoformat()
    assert exempt["approvedAt"] is None


# --- random cycles of realistic shape --------------------------------------------------------


@st.composite
def cycles(draw: st.DrawFn) -> list[Lea]:
    counties = draw(st.integers(min_value=1, max_value=3))
    statewide = f"{counties:02d}90"
    leas: list[Lea] = []
    for county in range(1, counties + 1):
        selpas = [f"{county:02d}{k:02d}" for k in range(draw(st.integers(1, 3)))]
        for i in range(draw(st.integers(min_value=1, max_value=5))):
            population = draw(
                st.one_of(
                    st.integers(0, 0),
                    st.integers(1, 30),
                    st.integers(31, 199),
                    st.integers(200, 2500),
                )
            )
            n = sample_size(population, DEFAULT_BANDS, 500)
            rest = draw(st.integers(0, min(n, 25)))
            b = draw(st.integers(0, rest))
            selpa = draw(st.sampled_from([*selpas, statewide]))
            if n == 0:
                status = "EXEMPT"
            else:
                status = draw(st.sampled_from(["REPORTED"] * 6 + ["NOT_REPORTED"]))
            cds = f"{county:02d}{i:012d}"
            leas.append((cds, f"{county:02d}", selpa, status, (n - rest, b, rest - b)))
    return leas


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(cycles())
def test_no_sensitive_cell_can_be_narrowed_from_what_is_published(leas: list[Lea]) -> None:
    # when
    snapshot = publish(leas)
    values = truth(leas)
    # then the independent attacker narrows no sensitive cell
    assert unprotected(snapshot, sizes(leas), sensitive(values)) == {}
    # and shown values are true and large, withheld ones carry the one marker and no share
    for grouping, rows in snapshot["groupings"].items():
        for r in rows:
            for m in MEASURES:
                cell = r["cells"][m]
                if (grouping, r["key"], m) not in values:
                    assert cell["value"] is None and not cell["suppressed"]
                elif cell["suppressed"]:
                    assert cell["value"] is None and cell["reason"] == "SUPPRESSED"
                    assert cell["percent"] is None
                else:
                    assert cell["value"] == values[(grouping, r["key"], m)] > 10
    # and a total shown with all its parts shown equals their sum
    for rows in snapshot["groupings"].values():
        for r in rows:
            shown = [r["cells"][m]["value"] for m in MEASURES]
            if all(v is not None for v in shown):
                assert shown[0] + shown[1] + shown[2] == shown[3]
