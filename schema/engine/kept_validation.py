"""Validation results kept per parsed document, found by the document's identity.

Strawberry's ``ValidationCache`` keys its results by the document's hash, and graphql-core
hashes a document by walking every node of it (about 40 µs for the report query) on every
request. The parser cache hands out the same document object for the same text, so the object
itself is the key here: each entry holds its document and schema, so neither identity can be
taken by another object while the entry lives.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator

from graphql import ASTValidationRule, DocumentNode, GraphQLError, GraphQLSchema
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

KEPT_DOCUMENTS = 256

_Key = tuple[int, int, tuple[type[ASTValidationRule], ...]]
_kept: OrderedDict[_Key, tuple[GraphQLSchema, DocumentNode, list[GraphQLError]]] = OrderedDict()


def validated(
    schema: GraphQLSchema,
    document: DocumentNode,
    rules: tuple[type[ASTValidationRule], ...],
) -> list[GraphQLError]:
    """``validate_document(schema, document, rules)``, computed once per document object."""
    key = (id(schema), id(document), rules)
    entry = _kept.get(key)
    if entry is not None and entry[0] is schema and entry[1] is document:
        _kept.move_to_end(key)
        return entry[2]
    errors = validate_document(schema, document, rules)
    _kept[key] = (schema, document, errors)
    if len(_kept) > KEPT_DOCUMENTS:
        _kept.popitem(last=False)
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
