"""A report row from the database into its figures, read by position."""

from __future__ import annotations

from dataclasses import fields

import pytest
from tortoise import connections

from models.reports.figures import GroupFigures, rate
from models.shared.enums import ReportGrouping, Role
from resolvers.reports.aggregate import COLUMNS, COUNT_COLUMNS, figures, report_sql
from resolvers.shared.principal import Principal
from tests.support.factories import World


def test_the_counts_are_read_in_the_order_of_the_figures_fields() -> None:
    # given the fields of a row's figures after its grouping, key, label and SELPA code
    counted = [field.name for field in fields(GroupFigures)][4:]
    # then the statement's count columns come in that order, under the same names
    assert list(COUNT_COLUMNS) == counted


def test_figures_read_every_count_column_into_its_field() -> None:
    # given a report row whose every count column holds a different number
    counts = list(range(1, len(COUNT_COLUMNS) + 1))
    row = ("LEA", "01000000000001", "L", "0101", *counts)
    # when it is read into figures, then each field holds its own column
    read = figures(row)
    assert [getattr(read, name) for name in COUNT_COLUMNS] == counts
    assert (read.key, read.label, read.selpa_code) == ("01000000000001", "L", "0101")


@pytest.mark.parametrize("grouping", list(ReportGrouping))
async def test_the_statement_answers_the_columns_figures_reads(
    world: World, grouping: ReportGrouping
) -> None:
    # given the report statement as the database runs it
    connection = connections.get("default")
    principal = Principal(role=Role.CDE_ADMIN, access_code_id=0)
    sql, values = report_sql(connection.capabilities.dialect, principal, world.cycle, [grouping])
    # when it is run
    _, rows = await connection.execute_query(sql, values)
    # then its columns are those figures reads, in that order, every count an integer
    assert rows
    for row in rows:
        assert list(row.keys()) == list(COLUMNS)
        assert all(type(row[name]) is int for name in COUNT_COLUMNS)
        by_name = {name: row[name] for name in COUNT_COLUMNS}
        assert {name: getattr(figures(row), name) for name in COUNT_COLUMNS} == by_name


def test_a_rate_is_made_once_for_each_pair_and_holds_its_percent() -> None:
    # given two rows with the same share
    first = rate(1, 3)
    # when the same rate is asked for again, then it is the same value, its percent computed
    assert rate(1, 3) is first
    assert (first.numerator, first.denominator, first.percent) == (1, 3, "33.33")
    assert rate(0, 0).percent is None
