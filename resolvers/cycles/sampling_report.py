"""How the drawn sample represents the population: per LEA N and n, and per stratum the
population share beside the sample share (statewide, by disability category, race/ethnicity,
gender and grade). A required LEA with no roster loaded shows ``ROSTER_MISSING`` in ``value``
and no sample."""

from __future__ import annotations

from collections.abc import Iterator

from tortoise.connection import get_connection

from models import Cycle, LeaCycle
from models.worksheet.categories import percent_half_up
from resolvers.cycles.roster_missing import roster_missing

COLUMNS = (
    "level",
    "cds_code",
    "lea_name",
    "dimension",
    "value",
    "population",
    "sample",
    "population_share",
    "sample_share",
)
DIMENSIONS = ("disability_category", "race_ethnicity", "gender", "grade")


async def sampling_report(cycle: Cycle) -> Iterator[list[str]]:
    """The report's rows (without header); a constant number of queries."""
    leas = (
        await LeaCycle.filter(cycle=cycle, active=True)
        .order_by("lea__cds_code")
        .values_list("lea__cds_code", "lea__name", "swd_count", "sample_size")
    )
    db = get_connection("default")
    c = int(cycle.id)
    strata: list[tuple[str, dict[str, int], dict[str, int]]] = []
    for dim in DIMENSIONS:
        _, population = await db.execute_query(
            f"SELECT {dim} AS v, COUNT(*) AS n FROM roster_student "  # noqa: S608
            f"WHERE cycle_id = {c} GROUP BY {dim}"
        )
        _, sample = await db.execute_query(
            f"SELECT r.{dim} AS v, COUNT(*) AS n FROM sampled_student s "  # noqa: S608
            f"JOIN roster_student r ON r.id = s.student_id WHERE s.cycle_id = {c} GROUP BY r.{dim}"
        )
        strata.append(
            (
                dim,
                {str(row["v"]): int(row["n"]) for row in population},
                {str(row["v"]): int(row["n"]) for row in sample},
            )
        )
    return _rows(leas, strata, set(await roster_missing(cycle.id)))


def _rows(
    leas: list[tuple[str, str, int, int | None]],
    strata: list[tuple[str, dict[str, int], dict[str, int]]],
    missing: set[str],
) -> Iterator[list[str]]:
    for cds, name, swd, n in leas:
        value = "ROSTER_MISSING" if cds in missing else ""
        yield ["LEA", cds, name, "all", value, str(swd), "" if n is None else str(n), "", ""]
    for dim, population, sample in strata:
        total_population = sum(population.values())
        total_sample = sum(sample.values())
        for value in sorted(population.keys() | sample.keys()):
            p, s = population.get(value, 0), sample.get(value, 0)
            yield [
                "STATE",
                "",
                "",
                dim,
                value,
                str(p),
                str(s),
                percent_half_up(p, total_population) or "",
                percent_half_up(s, total_sample) or "",
            ]
