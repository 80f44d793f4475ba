"""A list answer written straight from its sources answers exactly what the built objects,
completed by graphql-core's generic executor, answer."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

import pytest
import strawberry
from strawberry.extensions import ParserCache

from models.reports.figures import GroupFigures
from models.shared.enums import ReportGrouping
from schema.build import build_schema
from schema.directory.types import LeaStatusCounts
from schema.engine import projection as projection_module
from schema.engine.plain_executor import LONG_LIST, PlainDataExecutor
from schema.engine.projection import Projected, Projection
from schema.reports.types import REPORT_ROW, ReportRow
from tests.support.answers import assert_answered_alike

build_schema()  # the report types' enums are registered with the schema's build


@strawberry.enum
class Shade(Enum):
    LIGHT = "light"
    DARK = "dark"


@strawberry.type
class Mark:
    label: str


@strawberry.type
class Part:
    size: int
    note: str | None
    mark: Mark


@strawberry.type
class Item:
    code: str
    shade: Shade
    doubled: int
    part: Part
    spare: Part | None

    @strawberry.field
    def computed(self) -> int:
        return self.doubled + 1


@dataclass
class Source:
    """What an item is read from: other names, and a value worked out by a method."""

    name: Any
    tone: Any
    n: Any
    note: Any
    has_spare: bool = True

    def twice(self) -> Any:
        return self.n * 2 if isinstance(self.n, int) else self.n


PART = Projection(
    Part,
    reads={"size": "source.n", "mark": "source"},
    nested={"mark": Projection(Mark, reads={"label": "source.name"})},
)
ITEM = Projection(
    Item,
    reads={
        "code": "source.name",
        "shade": "source.tone",
        "doubled": "source.twice()",
        "part": "source",
        "spare": "source if source.has_spare else None",
    },
    nested={"part": PART, "spare": PART},
)


def _sources(count: int = LONG_LIST + 8) -> list[Source]:
    return [
        Source(
            name=f"item {i}",
            tone=Shade.DARK if i % 2 else Shade.LIGHT,
            n=i,
            note=None if i % 3 else f"note {i}",
            has_spare=i % 4 != 0,
        )
        for i in range(count)
    ]


def _broken(kind: str) -> list[Source]:
    sources = _sources()
    if kind == "a null in a non-null field":
        sources[5].name = None
    elif kind == "an Int out of range":
        sources[7].n = 2**40
    elif kind == "a float in an Int field":
        sources[9].n = 3.0
    elif kind == "a bool in an Int field":
        sources[11].n = True
    elif kind == "a number in a String field":
        sources[13].name = 12
    elif kind == "a string in an enum field":
        sources[15].tone = "light"
    return sources


BROKEN = [
    "a null in a non-null field",
    "an Int out of range",
    "a float in an Int field",
    "a bool in an Int field",
    "a number in a String field",
    "a string in an enum field",
]


@strawberry.type
class Query:
    @strawberry.field
    def items(self, broken: str | None = None, count: int = LONG_LIST + 8) -> Sequence[Item]:
        sources = _broken(broken) if broken else _sources(count)
        return Projected(ITEM, sources)


FAST = strawberry.Schema(
    query=Query, execution_context_class=PlainDataExecutor, extensions=[lambda: ParserCache()]
)
GENERIC = strawberry.Schema(query=Query)

DOCUMENTS = {
    "every field": """{ items { code shade doubled part { size note mark { label } }
        spare { size note mark { label } } } }""",
    "aliases and typename": "{ items { __typename c: code p: part { __typename s: size } } }",
    "a subset": "{ items { spare { note } } }",
    "fragments": """query { items { ...I part { note } } }
        fragment I on Item { code part { size } }""",
    "skip and include": """query($on: Boolean!) {
        items { code @include(if: $on) part @skip(if: $on) { size } } }""",
    "a resolver field": "{ items { code computed part { size } } }",
    "a short list": "{ items(count: 3) { code part { size } } }",
    **{
        kind: f'{{ items(broken: "{kind}") {{ code shade doubled part {{ size }} }} }}'
        for kind in BROKEN
    },
}


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times a projected list built its objects."""
    counted: list[int] = []
    real = Projected._objects

    def counting(self: Projected[Any]) -> list[Any]:
        if self._built is None:
            counted.append(len(self.sources))
        return real(self)

    monkeypatch.setattr(Projected, "_objects", counting)
    return counted


@pytest.mark.parametrize("on", [True, False])
@pytest.mark.parametrize("name", DOCUMENTS)
async def test_a_written_list_answers_as_its_built_objects_do(name: str, on: bool) -> None:
    # given a document and its variables
    # when the writing executor and graphql-core's own run it
    # then data and errors (message, path, locations) are the same
    await assert_answered_alike(FAST, GENERIC, DOCUMENTS[name], on)


async def test_a_plain_selection_is_written_without_building_an_object(
    builds: list[int],
) -> None:
    # given a long projected list
    # when a plain selection of it is read, twice
    for _ in range(2):
        result = await FAST.execute(DOCUMENTS["every field"])
        assert not result.errors
    # then no object was built
    assert builds == []


@pytest.mark.parametrize("name", ["a resolver field", "a short list", "an Int out of range"])
async def test_what_the_writer_cannot_answer_goes_to_the_built_objects(
    builds: list[int], name: str
) -> None:
    # given a selection with a resolver, a short list or a value the generic path must refuse
    # when it is read
    await FAST.execute(DOCUMENTS[name])
    # then the list built its objects once, and they were completed the generic way
    assert len(builds) == 1


async def test_a_writer_is_made_once_per_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a count of the writers compiled
    made: list[str] = []
    real = Projection.writer

    def counting(self: Projection[Any], *args: Any) -> Any:
        made.append(self.type_name)
        return real(self, *args)

    monkeypatch.setattr(Projection, "writer", counting)
    # when the same document is read three times
    for _ in range(3):
        await FAST.execute("{ items { code part { size } } }")
    # then one writer was made for it
    assert made == ["Item"]


def test_a_projection_names_only_fields_its_type_has() -> None:
    # when a projection reads a field the type does not have, leaves a nested type without
    # its projection, or gives one of another type, then it is refused at once
    with pytest.raises(TypeError, match="no field"):
        Projection(Part, reads={"weight": "source.n"})
    with pytest.raises(TypeError, match="no projection"):
        Projection(Item, reads={"part": "source"})
    with pytest.raises(TypeError, match="is not a"):
        Projection(Item, nested={"part": ITEM, "spare": PART})


def test_an_expression_reads_its_own_source_only() -> None:
    # given an expression naming its source and, inside a name, the same letters
    # when it is read over another variable
    rebased = projection_module._rebased("source.sources + source_count(source)", "s3")
    # then only the name itself is replaced
    assert rebased == "s3.sources + source_count(s3)"


REPORT_SELECTION = """groupBy key label county selpaCode
  leaCounts { required exempt notStarted draft submitted approved rejected }
  students { countA countB countC total shareA { numerator denominator percent }
    shareB { numerator denominator percent } shareC { numerator denominator percent } }
  responseRate { numerator denominator percent } timeliness { numerator denominator percent }
  extensionsGranted selfReviewed"""


def _figures(rng: random.Random, grouping: ReportGrouping, i: int) -> GroupFigures:
    statuses = [rng.randint(0, 3) for _ in range(5)]
    submitted, approved = statuses[2], statuses[3]
    counts = [rng.choice([0, 0, 3, 17, 250]) for _ in range(3)]
    return GroupFigures(
        grouping,
        f"{i:02d}" if grouping is ReportGrouping.COUNTY else f"36{i:012d}",
        f"Group {i}",
        f"{3600 + i % 5}" if grouping is ReportGrouping.LEA and i % 7 else None,
        sum(statuses),
        rng.randint(0, 2),
        *statuses,
        *counts,
        rng.randint(0, submitted + approved),
        rng.randint(0, 2),
        rng.randint(0, approved),
    )


@pytest.mark.parametrize("grouping", list(ReportGrouping))
async def test_report_rows_written_from_their_figures_are_the_rows_built_from_them(
    grouping: ReportGrouping,
) -> None:
    # given many rows of figures, zeros (0/0 rates) among them
    rng = random.Random(grouping.value)
    figures = [_figures(rng, grouping, i) for i in range(LONG_LIST * 3)]

    @strawberry.type
    class Reports:
        @strawberry.field
        def report(self) -> Sequence[ReportRow]:
            return Projected(REPORT_ROW, figures)

        @strawberry.field
        def built(self) -> list[ReportRow]:
            return [REPORT_ROW.build(f) for f in figures]

    fast = strawberry.Schema(query=Reports, execution_context_class=PlainDataExecutor)
    generic = strawberry.Schema(query=Reports)
    # when they are written directly, and built and completed the generic way
    written = await fast.execute(f"{{ report {{ {REPORT_SELECTION} }} }}")
    completed = await generic.execute(f"{{ built {{ {REPORT_SELECTION} }} }}")
    # then the answers are the same
    assert not written.errors and not completed.errors
    assert written.data is not None and completed.data is not None
    assert written.data["report"] == completed.data["built"]


def test_a_built_report_row_holds_the_figures_rates() -> None:
    # given the figures of one LEA
    lea = ReportGrouping.LEA
    f = GroupFigures(lea, "36000000000001", "A", "3600", 1, 0, 0, 0, 0, 1, 0, 2, 1, 0, 1, 0)
    # when its row is built
    row = REPORT_ROW.build(f)
    # then every nested object holds what the figures say
    assert row.lea_counts == LeaStatusCounts(
        not_started=0, draft=0, submitted=0, approved=1, rejected=0, exempt=0, required=1
    )
    assert (row.students.total, row.students.share_a.percent) == (3, "66.67")
    assert (row.response_rate.percent, row.timeliness.percent) == ("100.00", "100.00")
    assert (row.county, row.selpa_code, row.group_by) == ("36", "3600", ReportGrouping.LEA)
