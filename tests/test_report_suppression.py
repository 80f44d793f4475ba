"""Small-cell and complementary suppression (SPEC §3.8), as pure functions.

The property test checks every snapshot with its own exact elimination (written here, apart
from ``models.reports.suppression``): with every published number substituted, no suppressed cell is
determined by the equations that tie the four groupings together.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from models.reports.figures import GroupFigures
from models.reports.public_snapshot import build_snapshot
from models.reports.suppression import Reason, build_constraints, suppress
from models.shared.enums import ReportGrouping

MEASURES = ("A", "B", "C", "TOTAL")
WHEN = datetime(2025, 8, 1, 17, 0, tzinfo=UTC)


def values_of(
    groups: dict[tuple[str, str], tuple[int, int, int]],
) -> dict[tuple[str, str, str], int]:
    values = {}
    for (grouping, key), (a, b, c) in groups.items():
        for measure, value in zip(MEASURES, (a, b, c, a + b + c), strict=True):
            values[(grouping, key, measure)] = value
    return values


def test_a_small_count_is_protected_by_the_smallest_rectangle() -> None:
    # given three LEAs in one county and one SELPA; LEA 2 has B = 5
    leas = {
        "01000000000001": (50, 20, 30),
        "01000000000002": (40, 5, 15),
        "01000000000003": (60, 25, 35),
    }
    totals = (150, 50, 80)
    groups = {("LEA", cds): abc for cds, abc in leas.items()}
    groups |= {("STATE", "CA"): totals, ("COUNTY", "01"): totals, ("SELPA", "1001"): totals}
    constraints = build_constraints((cds, "01", "1001") for cds in leas)
    # when
    reasons = suppress(values_of(groups), constraints)
    # then: B = 5 is hidden; LEA 2's row would give it back from A, C and the total, so its
    # smallest other cell (C = 15) goes too; the column sums would give both back from the
    # state's B and C, so the smallest cells of those columns outside LEA 2 go as well (LEA 1's
    # B = 20 and C = 30). Four unknowns, four equations of rank 3: nothing is determined.
    assert reasons == {
        ("LEA", "01000000000002", "B"): Reason.SMALL_COUNT,
        ("LEA", "01000000000002", "C"): Reason.COMPLEMENTARY,
        ("LEA", "01000000000001", "B"): Reason.COMPLEMENTARY,
        ("LEA", "01000000000001", "C"): Reason.COMPLEMENTARY,
    }


def test_zero_is_a_small_count_and_a_small_group_is_hidden_whole() -> None:
    # given LEA 2 with 11 students, none in C; LEA 3 with 10 students in all
    leas = {
        "01000000000001": (30, 20, 12),
        "01000000000002": (11, 0, 0),
        "01000000000003": (4, 3, 3),
    }
    groups = {("LEA", cds): abc for cds, abc in leas.items()}
    totals = (45, 23, 15)
    groups |= {("STATE", "CA"): totals, ("COUNTY", "01"): totals, ("SELPA", "1001"): totals}
    # when
    reasons = suppress(values_of(groups), build_constraints((c, "01", "1001") for c in leas))
    # then
    assert reasons[("LEA", "01000000000002", "B")] is Reason.SMALL_COUNT
    assert reasons[("LEA", "01000000000002", "C")] is Reason.SMALL_COUNT
    for measure in MEASURES:
        assert reasons[("LEA", "01000000000003", measure)] is Reason.SMALL_GROUP
    assert exposed_cells(snapshot_of(groups, {c: ("01", "1001") for c in leas})) == set()


# --- the independent check -------------------------------------------------------------


def figures_of(
    groups: dict[tuple[str, str], tuple[int, int, int]], places: dict[str, tuple[str, str]]
) -> list[GroupFigures]:
    rows = []
    for (grouping, key), (a, b, c) in groups.items():
        g = ReportGrouping(grouping)
        rows.append(
            GroupFigures(
                grouping=g,
                key=key,
                label=key,
                selpa_code=places[key][1] if g is ReportGrouping.LEA else None,
                required=1, exempt=0, not_started=0, draft=0, submitted=0, approved=1,
                rejected=0, count_a=a, count_b=b, count_c=c, on_time=1, extensions_granted=0,
            )
        )  # fmt: skip
    return rows


def snapshot_of(
    groups: dict[tuple[str, str], tuple[int, int, int]], places: dict[str, tuple[str, str]]
) -> dict[str, Any]:
    return build_snapshot(figures_of(groups, places), WHEN, ["APPROVED"])


def equations_from_snapshot(snapshot: dict[str, Any]) -> list[dict[tuple[str, str, str], int]]:
    """A + B + C = TOTAL per group; per measure, the LEAs sum to county, SELPA and state —
    read from the published LEA rows (their county and SELPA)."""
    equations: list[dict[tuple[str, str, str], int]] = []
    for grouping, rows in snapshot["groupings"].items():
        for row in rows:
            equation = {(grouping, row["key"], m): 1 for m in ("A", "B", "C")}
            equation[(grouping, row["key"], "TOTAL")] = -1
            equations.append(equation)
    parents: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in snapshot["groupings"]["LEA"]:
        parents[("STATE", "CA")].append(row["key"])
        parents[("COUNTY", row["county"])].append(row["key"])
        parents[("SELPA", row["selpaCode"])].append(row["key"])
    for (grouping, key), members in parents.items():
        for m in MEASURES:
            equation = {("LEA", cds, m): 1 for cds in members}
            equation[(grouping, key, m)] = -1
            equations.append(equation)
    return equations


def reduced_row_echelon(rows: list[list[Fraction]]) -> list[list[Fraction]]:
    """Dense Gauss-Jordan elimination, column by column."""
    matrix = [row[:] for row in rows]
    found = 0
    width = len(matrix[0]) if matrix else 0
    for col in range(width):
        pivot = next((r for r in range(found, len(matrix)) if matrix[r][col] != 0), None)
        if pivot is None:
            continue
        matrix[found], matrix[pivot] = matrix[pivot], matrix[found]
        lead = matrix[found][col]
        matrix[found] = [x / lead for x in matrix[found]]
        for r in range(len(matrix)):
            if r != found and matrix[r][col] != 0:
                factor = matrix[r][col]
                matrix[r] = [x - factor * y for x, y in zip(matrix[r], matrix[found], strict=True)]
        found += 1
    return matrix[:found]


def exposed_cells(snapshot: dict[str, Any]) -> set[tuple[str, str, str]]:
    """Suppressed cells whose unit vector lies in the row space of the equations restricted to
    the suppressed cells. In reduced row echelon form that is exactly a row equal to a unit
    vector: reducing e_i by the rows leaves 0 only then."""
    hidden = sorted(
        (grouping, row["key"], m)
        for grouping, rows in snapshot["groupings"].items()
        for row in rows
        for m in MEASURES
        if row["cells"][m]["suppressed"]
    )
    column = {c: i for i, c in enumerate(hidden)}
    system = []
    for equation in equations_from_snapshot(snapshot):
        row = [Fraction(0)] * len(hidden)
        for c, k in equation.items():
            if c in column:
                row[column[c]] += k
        if any(row):
            system.append(row)
    exposed = set()
    for row in reduced_row_echelon(system):
        nonzero = [i for i, x in enumerate(row) if x != 0]
        if len(nonzero) == 1:
            exposed.add(hidden[nonzero[0]])
    return exposed


@st.composite
def cycles(
    draw: st.DrawFn,
) -> tuple[dict[tuple[str, str], tuple[int, int, int]], dict[str, tuple[str, str]]]:
    n = draw(st.integers(min_value=1, max_value=7))
    counties = draw(st.lists(st.sampled_from(["01", "19", "34"]), min_size=n, max_size=n))
    selpas = draw(st.lists(st.sampled_from(["1001", "2002", "3003"]), min_size=n, max_size=n))
    small = st.integers(min_value=0, max_value=14)
    big = st.integers(min_value=0, max_value=60)
    places: dict[str, tuple[str, str]] = {}
    groups: dict[tuple[str, str], tuple[int, int, int]] = {}
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for i in range(n):
        cds = f"{counties[i]}{i:012d}"
        places[cds] = (counties[i], selpas[i])
        abc = (draw(big), draw(small), draw(small))
        groups[("LEA", cds)] = abc
        for parent in (("STATE", "CA"), ("COUNTY", counties[i]), ("SELPA", selpas[i])):
            sums[parent] = [s + v for s, v in zip(sums[parent], abc, strict=True)]
    for parent, (a, b, c) in sums.items():
        groups[parent] = (a, b, c)
    return groups, places


@settings(max_examples=120, deadline=None)
@given(cycles())
def test_no_suppressed_cell_is_determined_by_what_is_published(
    cycle: tuple[dict[tuple[str, str], tuple[int, int, int]], dict[str, tuple[str, str]]],
) -> None:
    groups, places = cycle
    # when
    snapshot = snapshot_of(groups, places)
    # then: nothing suppressed can be worked out, nothing small is shown, shown values are true
    assert exposed_cells(snapshot) == set()
    truth = values_of(groups)
    for grouping, rows in snapshot["groupings"].items():
        for row in rows:
            for m in MEASURES:
                cell = row["cells"][m]
                if cell["suppressed"]:
                    assert cell["value"] is None and cell["reason"]
                    assert cell["percent"] is None
                else:
                    assert cell["value"] == truth[(grouping, row["key"], m)] > 10
    # and every equation whose cells are all published holds (totals = sum of parts)
    for equation in equations_from_snapshot(snapshot):
        shown = {c: published(snapshot, c) for c in equation}
        if all(v is not None for v in shown.values()):
            assert sum(k * shown[c] for c, k in equation.items()) == 0  # type: ignore[operator]


def published(snapshot: dict[str, Any], cell: tuple[str, str, str]) -> int | None:
    grouping, key, measure = cell
    row = next(r for r in snapshot["groupings"][grouping] if r["key"] == key)
    value: int | None = row["cells"][measure]["value"]
    return value
