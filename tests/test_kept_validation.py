"""Validation is kept per parsed document, found without hashing the document."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import DocumentNode, parse
from strawberry.schema.schema import validate_document

from schema.build import build_schema
from schema.engine import kept_validation
from schema.engine.identity_memo import IdentityMemo
from schema.engine.kept_validation import KEPT_DOCUMENTS, validated


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[DocumentNode]:
    """Each document validated anew, counted."""
    seen: list[DocumentNode] = []
    real = validate_document

    def counted(schema: Any, document: DocumentNode, rules: Any) -> Any:
        seen.append(document)
        return real(schema, document, rules)

    monkeypatch.setattr(kept_validation, "validate_document", counted)
    monkeypatch.setattr(kept_validation, "_kept", IdentityMemo(KEPT_DOCUMENTS))
    return seen


async def test_a_repeated_document_is_validated_once_and_never_hashed(
    monkeypatch: pytest.MonkeyPatch, validations: list[DocumentNode]
) -> None:
    # given the service's schema, and documents that refuse to be hashed
    def unhashable(_: DocumentNode) -> int:
        raise AssertionError("the document was hashed")

    monkeypatch.setattr(DocumentNode, "__hash__", unhashable)
    schema = build_schema()
    # when the same text runs three times
    results = [await schema.execute("{ __typename }") for _ in range(3)]
    # then each answers, and the document was validated once
    assert [r.data for r in results] == [{"__typename": "Query"}] * 3
    assert len(validations) == 1


async def test_an_invalid_document_is_refused_alike_every_time(
    validations: list[DocumentNode],
) -> None:
    # given the service's schema and the generic one
    fast, reference = build_schema(), build_schema(reference=True)
    # when an invalid document runs twice on each
    answers = [await s.execute("{ nosuchfield }") for s in (fast, fast, reference, reference)]
    # then all four refuse it with the same error, validated once on the service's schema
    messages = [[e.message for e in a.errors or []] for a in answers]
    assert messages == [["Cannot query field 'nosuchfield' on type 'Query'."]] * 4
    assert len(validations) == 1


def test_the_kept_documents_are_bounded_and_kept_per_schema(
    validations: list[DocumentNode],
) -> None:
    # given two schemas and more documents than are kept
    one, other = build_schema()._schema, build_schema()._schema
    documents = [parse(f"{{ a{i}: __typename }}") for i in range(KEPT_DOCUMENTS + 1)]
    # when each document is validated on one schema, then the first again, and on the other
    for document in documents:
        validated(one, document, ())
    validated(one, documents[0], ())
    validated(other, documents[-1], ())
    # then the first was validated again (it had made room), and the other schema's too
    assert len(kept_validation._kept) == KEPT_DOCUMENTS
    assert validations == [*documents, documents[0], documents[-1]]
