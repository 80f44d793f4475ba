"""Unexpected errors are masked as strawberry's ``MaskErrors`` masks them, without its protocol
check on every operation."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from graphql import GraphQLError
from strawberry.extensions import MaskErrors
from strawberry.types import ExecutionResult

from schema.build import MaskUnexpectedErrors, _should_mask


def _errors() -> list[GraphQLError]:
    return [
        GraphQLError("boom: SELECT * FROM student", original_error=RuntimeError("boom")),
        GraphQLError("Not found.", extensions={"code": "NOT_FOUND"}),
    ]


def _seen(result: object) -> list[tuple[str, object]]:
    return [(e.message, e.extensions) for e in getattr(result, "errors", None) or []]


@pytest.mark.parametrize(
    "make",
    [
        lambda: ExecutionResult(data=None, errors=_errors()),
        lambda: SimpleNamespace(errors=_errors()),
        lambda: ExecutionResult(data={"a": 1}, errors=None),
        lambda: SimpleNamespace(),
    ],
    ids=["result", "any-object-with-errors", "no-errors", "no-errors-attribute"],
)
def test_results_are_masked_as_strawberry_masks_them(make: object) -> None:
    # given the service's masking and strawberry's own, with the same rule
    ours = MaskUnexpectedErrors(should_mask_error=_should_mask, error_message="Unexpected error.")
    stock = MaskErrors(should_mask_error=_should_mask, error_message="Unexpected error.")
    mine, theirs = make(), make()  # type: ignore[operator]
    # when each processes the same kind of result
    ours._process_result(mine)
    MaskErrors._process_result(stock, theirs)
    # then the same errors are masked; only the service adds its code to the masked one
    assert [m for m, _ in _seen(mine)] == [m for m, _ in _seen(theirs)]
    if _seen(mine):
        assert _seen(mine) == [
            ("Unexpected error.", {"code": "INTERNAL_SERVER_ERROR"}),
            ("Not found.", {"code": "NOT_FOUND"}),
        ]


def test_masking_asks_no_protocol(monkeypatch: pytest.MonkeyPatch) -> None:
    # given runtime protocol checks made to fail
    import typing

    def refused(*_: object) -> bool:
        raise AssertionError("a protocol check ran")

    monkeypatch.setattr(typing._ProtocolMeta, "__instancecheck__", refused)
    result = ExecutionResult(data=None, errors=_errors())
    # when the service masks a result
    MaskUnexpectedErrors(should_mask_error=_should_mask)._process_result(result)
    # then it masked it without one
    assert _seen(result)[0] == ("Unexpected error.", {"code": "INTERNAL_SERVER_ERROR"})
