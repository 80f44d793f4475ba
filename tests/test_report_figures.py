"""A report row from the database into its figures."""

from __future__ import annotations

from resolvers.reports.aggregate import _INT_COLUMNS
from resolvers.reports.aggregate import figures as _figures


def test_figures_read_every_count_column_into_its_field() -> None:
    # given a report row whose every count column holds a different number
    columns = dict(zip(_INT_COLUMNS, range(1, len(_INT_COLUMNS) + 1), strict=True))
    row = {"grp": "LEA", "group_key": "01000000000001", "group_label": "L", "selpa_code": "0101"}
    # when it is read into figures, then each field holds its own column
    figures = _figures({**row, **columns})
    assert {name: getattr(figures, name) for name in _INT_COLUMNS} == columns
