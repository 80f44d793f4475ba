"""Checks on one GraphQL document and its variables, each linear in the document's size.

Tokens are counted by the lexer before anything is built, every fragment's depth is worked out
once (memoized), and aliases, directives and text literals are counted in one walk of the tree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql import (
    ArgumentNode,
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    Node,
    ObjectFieldNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Source,
    StringValueNode,
    TokenKind,
    parse,
)
from graphql.language.lexer import Lexer

from kernel.settings import Settings
from models.shared.text import text_problem

BUILT_IN_DIRECTIVES = frozenset({"include", "skip", "deprecated", "specifiedBy", "oneOf"})
INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})
INTROSPECTION_TOKENS = 2000
"""Ceiling for a document made only of introspection (GraphiQL's own query has ~500 tokens)."""
MAX_VARIABLE_NESTING = 16


@dataclass(frozen=True)
class Limits:
    max_depth: int
    max_aliases: int
    max_tokens: int
    max_document_bytes: int
    max_operations: int
    max_directives: int
    introspection: bool = True
    query_cost_budget: int = 25_000

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            max_depth=settings.max_query_depth,
            max_aliases=settings.max_aliases,
            max_tokens=settings.max_tokens,
            max_document_bytes=settings.max_document_bytes,
            max_operations=settings.max_operations_per_request,
            max_directives=settings.max_directives,
            introspection=settings.introspection,
            query_cost_budget=settings.query_cost_budget,
        )


class Refused(Exception):
    """A request refused before execution. ``status`` is the HTTP status for every client;
    without one, a GraphQL request error: 200 in ``application/json``, 400 in
    ``application/graphql-response+json``."""

    def __init__(
        self,
        message: str,
        code: str = "QUERY_LIMIT",
        status: int | None = None,
        field: str | None = None,
        **details: int,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.status = status
        self.field = field
        self.details = details

    def error(self) -> dict[str, Any]:
        extensions: dict[str, Any] = {"code": self.code}
        if self.field is not None:
            extensions["field"] = self.field
        return {"message": str(self), "extensions": {**extensions, **self.details}}


def bad_request(message: str, status: int = 400) -> Refused:
    return Refused(message, "BAD_REQUEST", status)


def _count_tokens(query: str, ceiling: int) -> int:
    """Tokens in ``query``, counting no further than ``ceiling + 1``."""
    lexer = Lexer(Source(query))
    count = 0
    while count <= ceiling:
        if lexer.advance().kind == TokenKind.EOF:
            break
        count += 1
    return count


def _depths(document: DocumentNode, skip_introspection: bool) -> Iterable[int]:
    """The nesting of each operation (root fields are depth 0), every fragment measured once."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    memo: dict[str, int] = {}

    def depth(selection_set: SelectionSetNode | None) -> int:
        deepest = 0
        for node in selection_set.selections if selection_set is not None else ():
            if isinstance(node, FieldNode):
                if node.selection_set is None:
                    continue
                if skip_introspection and node.name.value in INTROSPECTION_FIELDS:
                    continue
                deepest = max(deepest, 1 + depth(node.selection_set))
            elif isinstance(node, InlineFragmentNode):
                deepest = max(deepest, depth(node.selection_set))
            elif isinstance(node, FragmentSpreadNode):
                deepest = max(deepest, fragment_depth(node.name.value))
        return deepest

    def fragment_depth(name: str) -> int:
        if name not in memo:
            memo[name] = 0  # a cycle (refused by validation) counts as nothing more
            fragment = fragments.get(name)
            if fragment is not None:
                memo[name] = depth(fragment.selection_set)
        return memo[name]

    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            yield depth(definition.selection_set)


def _walk(node: Node) -> Iterable[tuple[Node, str]]:
    """Every AST node below ``node``, with the name of the argument or input field it is in."""
    stack: list[tuple[Any, str]] = [(node, "")]
    while stack:
        current, name = stack.pop()
        if not isinstance(current, Node):
            continue
        yield current, name
        if isinstance(current, ArgumentNode | ObjectFieldNode):
            name = current.name.value
        for key in current.keys:
            value = getattr(current, key, None)
            if isinstance(value, list | tuple):
                stack.extend((child, name) for child in value)
            elif isinstance(value, Node):
                stack.append((value, name))


def _only_introspection(document: DocumentNode) -> bool:
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            for node in definition.selection_set.selections:
                if not isinstance(node, FieldNode) or not node.name.value.startswith("__"):
                    return False
    return True


def schema_only(document: DocumentNode) -> bool:
    """Every operation selects, at its root and through fragments, only ``__typename``,
    ``__schema`` and ``__type``: its answer comes from the schema, never from a resolver."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    seen: set[str] = set()

    def only_meta(selection_set: SelectionSetNode) -> bool:
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                if not node.name.value.startswith("__"):
                    return False
            elif isinstance(node, InlineFragmentNode):
                if not only_meta(node.selection_set):
                    return False
            elif isinstance(node, FragmentSpreadNode):
                name = node.name.value
                if name in seen:
                    continue
                seen.add(name)
                fragment = fragments.get(name)
                if fragment is None or not only_meta(fragment.selection_set):
                    return False
        return True

    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return bool(operations) and all(only_meta(op.selection_set) for op in operations)


@lru_cache(maxsize=512)
def check_document(query: str, limits: Limits) -> DocumentNode:
    """The parsed document; refused when over a limit, malformed, or holding a bad text
    literal."""
    if len(query.encode("utf-8", "surrogatepass")) > limits.max_document_bytes:
        raise Refused(f"The query is larger than {limits.max_document_bytes} bytes.")
    ceiling = max(limits.max_tokens, INTROSPECTION_TOKENS if limits.introspection else 0)
    try:
        tokens = _count_tokens(query, ceiling)
        if tokens > ceiling:
            raise Refused(f"The query has more than {limits.max_tokens} tokens.")
        document = parse(query, max_tokens=ceiling)
    except GraphQLError as exc:
        raise Refused(exc.message, code="GRAPHQL_PARSE_FAILED") from None
    except RecursionError:
        raise Refused(f"The query is nested deeper than {limits.max_depth}.") from None
    introspection_only = limits.introspection and _only_introspection(document)
    if tokens > limits.max_tokens and not introspection_only:
        raise Refused(f"The query has more than {limits.max_tokens} tokens.")
    _check_nodes(document, limits)
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) > 1 and any(op.name is None for op in operations):
        raise Refused(
            "An operation without a name must be the only one in its document.",
            code="GRAPHQL_VALIDATION_FAILED",
        )
    for depth in _depths(document, skip_introspection=limits.introspection):
        if depth > limits.max_depth:
            raise Refused(f"The query is nested {depth} deep; at most {limits.max_depth}.")
    return document


def _check_nodes(document: DocumentNode, limits: Limits) -> None:
    aliases = 0
    directives: list[str] = []
    introspects = False
    for node, name in _walk(document):
        if isinstance(node, FieldNode):
            aliases += node.alias is not None
            introspects = introspects or node.name.value in INTROSPECTION_FIELDS
        elif isinstance(node, DirectiveNode):
            directives.append(node.name.value)
        elif isinstance(node, StringValueNode) and name:
            problem = text_problem(node.value, name)
            if problem is not None:
                raise Refused(problem, code="INVALID_INPUT", field=name)
    if introspects and not limits.introspection:
        raise Refused("Introspection is disabled.", code="INTROSPECTION_DISABLED")
    if aliases > limits.max_aliases:
        raise Refused(f"The query uses {aliases} aliases; at most {limits.max_aliases} allowed.")
    unknown = sorted(set(directives) - BUILT_IN_DIRECTIVES)
    if unknown:
        raise Refused(
            "Unknown directive: " + ", ".join(f"@{name}" for name in unknown) + ".",
            code="GRAPHQL_VALIDATION_FAILED",
        )
    if len(directives) > limits.max_directives:
        raise Refused(
            f"The query uses {len(directives)} directives; at most {limits.max_directives}."
        )


def check_variables(variables: Mapping[str, Any]) -> None:
    """Refuse text that no field may hold, and values nested deeper than any input type."""
    stack: list[tuple[Any, str, int]] = [(value, name, 1) for name, value in variables.items()]
    while stack:
        value, name, level = stack.pop()
        if level > MAX_VARIABLE_NESTING:
            raise Refused(
                f"{name} is nested deeper than any input allows.", "INVALID_INPUT", field=name
            )
        if isinstance(value, str):
            problem = text_problem(value, name)
            if problem is not None:
                raise Refused(problem, code="INVALID_INPUT", field=name)
        elif isinstance(value, dict):
            stack.extend((child, str(key), level + 1) for key, child in value.items())
            for key in value:
                if not isinstance(key, str) or text_problem(key, "key") is not None:
                    raise Refused(f"{name} holds a malformed key.", "INVALID_INPUT", field=name)
        elif isinstance(value, list):
            stack.extend((child, name, level + 1) for child in value)
