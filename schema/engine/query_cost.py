"""A request's query cost, worked out from its document and variables before anything runs.

Every selected field that returns objects costs one for each object it may return, and each
of those objects adds the cost of what is selected inside it: a field returning one object
costs ``1 + inner``; a list of objects costs ``length × (1 + inner)``. A list's length is

- its own ``first`` (a literal, or a variable's value or default; omitted: the page size the
  resolver uses, ``DEFAULT_PAGE_SIZE``, or ``ROWS_PAGE_SIZE`` for worksheet rows);
- for the ``edges`` of a connection, the connection's ``first``;
- for any other list, an estimate: ``REPORT_ROWS`` by ``groupBy`` for the reports,
  ``LIST_ESTIMATES`` per field, ``USER_ERRORS`` for a payload's ``userErrors``.

Scalars and enums cost nothing, fragments and inline fragments are followed, ``@include`` and
``@skip`` are ignored (what they guard counts as included), and ``__schema`` and ``__type``
cost 1 each (they read no data). A ``first`` below 1 or above ``MAX_PAGE_SIZE`` is refused
here, before the cost, with ``INVALID_INPUT`` naming ``first``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    EnumValueNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_composite_type,
    is_list_type,
    value_from_ast_untyped,
)
from strawberry.extensions import SchemaExtension

from kernel.errors import InvalidInput
from resolvers.shared.arguments import DEFAULT_PAGE_SIZE, ROWS_PAGE_SIZE, page_size
from schema.engine.identity_memo import IdentityMemo
from schema.shared.context import Context

LEA_ROWS = 2_300
"""LEAs in a California cycle (SPEC §8): the most rows a list of LEAs may hold."""
REPORT_ROWS = {"STATE": 1, "COUNTY": 58, "SELPA": 140, "LEA": LEA_ROWS}
"""Rows of ``report`` and ``publicReport`` by ``groupBy``: counties, SELPAs, LEAs."""
GROUPED_LISTS = frozenset({("Query", "report"), ("Query", "publicReport")})
LIST_ESTIMATES: Mapping[tuple[str, str], int] = {
    ("Query", "cycles"): 50,
    ("Query", "auditFindings"): LEA_ROWS // 10,
    ("AuditSelectionPayload", "selected"): LEA_ROWS // 10,
    ("DisclosureAudit", "groupings"): len(REPORT_ROWS),
    ("Submission", "events"): 50,
}
"""Objects a list without ``first`` may return: cycles kept, the audit's ⌈10 %⌉ of the LEAs,
one disclosure audit per grouping, a submission's history."""
USER_ERRORS = 20
"""Entries a payload's ``userErrors`` may hold."""
DEFAULT_PAGES: Mapping[tuple[str, str], int] = {("Worksheet", "rows"): ROWS_PAGE_SIZE}
INTROSPECTION_COST = 1
REQUEST_COST = "query_cost"
"""Key in the request's state under which the HTTP limiter leaves the whole request's cost."""
OPERATION_COST = "operation_cost"
"""Key in the request's state under which the HTTP limiter leaves ``(query, operationName,
cost)`` of a request holding one operation: the cost it worked out for that very document."""


def query_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any],
) -> int:
    """The cost of the operation ``operation_name`` picks (every operation when it picks none
    of several, which execution refuses anyway). Fields the schema lacks cost nothing.

    A cost depends on the document and on what the walk made of the variables it read (a
    ``first`` as an integer, a ``groupBy`` as a name), nothing else: it is kept by the identity
    of the document (which the parser caches hand out again for the same text) and its schema
    (``IdentityMemo``), then by those readings. Which variables a walk reads, and as what, is
    fixed by the document's shape; each kept cost also holds them, and serves only a request
    whose variables read the same."""
    objects = (schema, document)
    found = _read_of.get(objects, operation_name)
    if found is not None:
        kept = _costs.get(objects, (operation_name, found[0], _readings(found[0], variables)))
        if kept is not None:
            return kept[0]
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [op for op in operations if op.name and op.name.value == operation_name]
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    walks = [_Walk(schema, fragments, op, variables) for op in operations]
    cost = sum(walk.total() for walk in walks)
    reads = tuple(sorted(set().union(*(walk.read for walk in walks))))
    _read_of.put(objects, reads, operation_name)
    _costs.put(objects, cost, (operation_name, reads, _readings(reads, variables)))
    return cost


Reads = tuple[tuple[str, str], ...]
"""Variables a walk read, each with what it was read as (``first`` or ``groupBy``; a variable
read as both, which validation refuses later, is there twice)."""


def _readings(reads: Reads, variables: Mapping[str, Any]) -> tuple[object, ...]:
    """What the walk makes of each variable it reads, as a key. An absent variable is its
    default, which is the document's own, so "absent" is its reading."""
    return tuple(
        _ABSENT if name not in variables else _READ_AS[kind](variables[name])
        for name, kind in reads
    )


_ABSENT = ("absent",)
_READ_AS: Mapping[str, Callable[[Any], object]] = {
    "first": lambda value: _int(value),
    "groupBy": lambda value: str(value),
}
KEPT_COSTS = 512
_costs: IdentityMemo[int] = IdentityMemo(KEPT_COSTS)
_read_of: IdentityMemo[Reads] = IdentityMemo(KEPT_COSTS)


class _Walk:
    """One operation's cost; each fragment is measured once per enclosing page size."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.operation = operation
        self.values: dict[str, Any] = {}
        for definition in operation.variable_definitions or ():
            name = definition.variable.name.value
            if name in variables:
                self.values[name] = variables[name]
            elif definition.default_value is not None:
                self.values[name] = value_from_ast_untyped(definition.default_value)
        self.memo: dict[tuple[str, int | None], int] = {}
        self.read: set[tuple[str, str]] = set()

    def total(self) -> int:
        roots = {
            OperationType.QUERY: self.schema.query_type,
            OperationType.MUTATION: self.schema.mutation_type,
            OperationType.SUBSCRIPTION: self.schema.subscription_type,
        }
        root = roots.get(self.operation.operation)
        return 0 if root is None else self.selections(self.operation.selection_set, root, None)

    def selections(self, selection_set: SelectionSetNode, parent: Any, page: int | None) -> int:
        cost = 0
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                cost += self.field(node, parent, page)
            elif isinstance(node, InlineFragmentNode):
                condition = node.type_condition
                inner = self.named(condition.name.value) if condition else parent
                cost += self.selections(node.selection_set, inner or parent, page)
            elif isinstance(node, FragmentSpreadNode):
                cost += self.fragment(node.name.value, page)
        return cost

    def fragment(self, name: str, page: int | None) -> int:
        key = (name, page)
        if key not in self.memo:
            self.memo[key] = 0  # a cycle (refused by validation) adds nothing more
            fragment = self.fragments.get(name)
            inner = self.named(fragment.type_condition.name.value) if fragment else None
            if fragment is not None and inner is not None:
                self.memo[key] = self.selections(fragment.selection_set, inner, page)
        return self.memo[key]

    def field(self, node: FieldNode, parent: Any, page: int | None) -> int:
        name = node.name.value
        if name in ("__schema", "__type"):
            return INTROSPECTION_COST
        fields = getattr(parent, "fields", None) or {}
        definition: GraphQLField | None = fields.get(name)
        if definition is None or node.selection_set is None:
            return 0
        inner = get_named_type(definition.type)
        if not is_composite_type(inner):
            return 0
        key = (parent.name, name)
        first = None
        if "first" in definition.args:
            default = DEFAULT_PAGES.get(key, DEFAULT_PAGE_SIZE)
            first = page_size(_int(self.argument(node, "first")), default)
        if is_list_type(get_nullable_type(definition.type)):
            count = first if first is not None else page
            if count is None:
                count = self.estimate(key, node)
            return count * (1 + self.selections(node.selection_set, inner, None))
        return 1 + self.selections(node.selection_set, inner, first)

    def estimate(self, key: tuple[str, str], node: FieldNode) -> int:
        if key[1] == "userErrors":
            return USER_ERRORS
        if key in GROUPED_LISTS:
            return REPORT_ROWS.get(str(self.argument(node, "groupBy")), LEA_ROWS)
        return LIST_ESTIMATES.get(key, LEA_ROWS)

    def argument(self, node: FieldNode, name: str) -> Any:
        for argument in node.arguments or ():
            if argument.name.value != name:
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                return int(value.value)
            if isinstance(value, EnumValueNode):
                return value.value
            if isinstance(value, VariableNode):
                self.read.add((value.name.value, name))
                return self.values.get(value.name.value)
        return None

    def named(self, name: str) -> GraphQLNamedType | None:
        return self.schema.get_type(name)


def _int(value: Any) -> int | None:
    """An integer argument value, as the engine would coerce it; None for anything else (the
    engine then refuses it, so nothing runs)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def over_budget(cost: int, budget: int) -> str:
    return f"This request would cost {cost}; the budget is {budget} per request."


class QueryCostBudget(SchemaExtension):
    """Refuses an operation whose cost is over the budget before it runs (``QUERY_LIMIT``,
    with ``cost`` and ``budget``), and reports the cost in the response's
    ``extensions.cost``: ``requested`` (this operation), ``budget``, and ``remaining`` (the
    budget less the whole request's cost, every batched operation counted)."""

    cost: int | None = None

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context.context
        document = self.execution_context.graphql_document
        if isinstance(context, Context) and document is not None:
            budget = context.settings.query_cost_budget
            try:
                cost = self._limiter_cost(context)
                if cost is None:
                    cost = query_cost(
                        self.execution_context.schema._schema,
                        document,
                        self.execution_context.operation_name,
                        self.execution_context.variables or {},
                    )
            except InvalidInput as error:
                self.execution_context.result = ExecutionResult(data=None, errors=[error])
            else:
                if cost > budget:
                    refusal = GraphQLError(
                        over_budget(cost, budget),
                        extensions={"code": "QUERY_LIMIT", "cost": cost, "budget": budget},
                    )
                    self.execution_context.result = ExecutionResult(data=None, errors=[refusal])
                else:
                    self.cost = cost
        yield

    def _limiter_cost(self, context: Context) -> int | None:
        """The cost the HTTP limiter already worked out, when this is its request's only
        operation. Without an ``operationName`` the limiter costed every operation of the
        document, which is what ``query_cost`` gives for the one that runs (or for none)."""
        if context.request is None:
            return None
        known = getattr(context.request.state, OPERATION_COST, None)
        if known is None:
            return None
        query, name, cost = known
        execution = self.execution_context
        if query != execution.query or name not in (None, execution.operation_name):
            return None
        return int(cost)

    def get_results(self) -> dict[str, Any]:
        context = self.execution_context.context
        if self.cost is None or not isinstance(context, Context):
            return {}
        budget = context.settings.query_cost_budget
        spent = self.cost
        if context.request is not None:
            spent = max(spent, getattr(context.request.state, REQUEST_COST, spent))
        return {"cost": {"requested": self.cost, "budget": budget, "remaining": budget - spent}}
