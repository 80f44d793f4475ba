"""Validation results kept per parsed document, found by the document's identity.

Strawberry's ``ValidationCache`` keys its results by the document's hash, and graphql-core
hashes a document by walking every node of it (about 40 µs for the report query) on every
request. The parser cache hands out the same document object for the same text, so the object
itself is the key here (``IdentityMemo``).
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import ASTValidationRule, DocumentNode, GraphQLError, GraphQLSchema
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from schema.engine.identity_memo import IdentityMemo

KEPT_DOCUMENTS = 256

_kept: IdentityMemo[list[GraphQLError]] = IdentityMemo(KEPT_DOCUMENTS)


def validated(
    schema: GraphQLSchema,
    document: DocumentNode,
    rules: tuple[type[ASTValidationRule], ...],
) -> list[GraphQLError]:
    """``validate_document(schema, document, rules)``, computed once per document object."""
    kept = _kept.get((schema, document), rules)
    if kept is not None:
        return kept[0]
    errors = validate_document(schema, document, rules)
    _kept.put((schema, document), errors, rules)
    return errors


class KeptValidation(SchemaExtension):
    """What ``ValidationCache`` does, without hashing the document."""

    def on_validate(self) -> Iterator[None]:
        execution = self.execution_context
        assert execution.graphql_document is not None
        execution.pre_execution_errors = validated(
            execution.schema._schema, execution.graphql_document, execution.validation_rules
        )
        yield
