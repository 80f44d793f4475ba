"""Completing plain-data objects without a resolver call per field.

Large answers (a report by LEA has 2,300 rows of 32 leaves) are made of objects whose fields
are plain attributes: no resolver, no arguments, no permission, a scalar, an enum or another
such object. For an object whose selected fields are all like that, ``PlainDataExecutor``
reads the attributes and serializes them directly, which is what the generic path does for
these fields, minus a resolve-info, a path and a few checks per field. Anything else (a
resolver, a permission class or other field extension, a list, an interface or union, a
deferred fragment, a null in a non-null field, an exception or awaitable as a value, a value
that does not serialize) takes the generic path for the whole object, which computes
the same answer and reports errors exactly as graphql-core does.

A long ``Projected`` list (``schema.engine.projection``) is written straight from its sources
by its projection's writer for the selection; anything the writer cannot answer sends the
list's built objects the same ways. For a caller that takes results encoded, the items of a
``Keyed`` list of a document without directives (whose plan, and so writer, is kept across
requests) are encoded once per writer, source maker and key while kept
(``schema.engine.written_items``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeGuard

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Undefined,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList, FragmentDetails, GroupedFieldSet
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.field import StrawberryField

from models.shared.keyed import Keyed
from schema.engine.identity_memo import IdentityMemo
from schema.engine.plain_plans import (
    INT_RANGE,
    OWN_OUTPUT,
    Completer,
    Plan,
    Step,
    compile_plan,
    completable_directly,
    enum_members,
    scalar_origin,
)
from schema.engine.projection import Projected, Projection, Writer
from schema.engine.written_items import WrittenItems

_STRAWBERRY_FIELD = "strawberry-definition"


class _Fallback(Exception):
    """This object must take the generic path."""


LONG_LIST = 32
"""Lists at least this long are completed by the plan compiled into one function."""


def _plain_attribute(field_def: Any) -> str | None:
    """The attribute a field reads when it is a basic strawberry field (no resolver, no
    permission class or other field extension, read with ``getattr``), else None."""
    if field_def.args or not getattr(field_def.resolve, "_is_default", False):
        return None
    definition = (field_def.extensions or {}).get(_STRAWBERRY_FIELD)
    if not isinstance(definition, StrawberryField) or not definition.is_basic_field:
        return None
    if definition.default_resolver is not getattr:
        return None
    return definition.python_name


def _accept(plan: Plan, cls: type) -> None:
    if cls not in plan.accepted and completable_directly(cls):
        plan.accepted.add(cls)


IsAwaitable = Callable[[Any], TypeGuard[Awaitable[Any]]]


class _Completion:
    """Completing one object by its plan, and one value by its step: what the compiled
    functions call for anything they do not output directly."""

    is_awaitable: IsAwaitable

    def _complete(self, plan: Plan, source: Any) -> dict[str, Any]:
        completed: dict[str, Any] = {}
        try:
            for step in plan.steps:
                if step.attribute is None:
                    completed[step.response_name] = plan.type_name
                    continue
                value = getattr(source, step.attribute)
                if (
                    type(value) is step.exact
                    and not step.typed
                    and (step.exact is not int or value in INT_RANGE)
                ):
                    members = step.members
                    completed[step.response_name] = value if members is None else members[value]
                else:
                    completed[step.response_name] = self._complete_value(step, value)
        except _Fallback:
            raise
        except Exception as error:
            raise _Fallback from error
        return completed

    def _complete_value(self, step: Step, value: Any) -> Any:
        if value is None:
            if step.non_null:
                raise _Fallback
            return None
        if isinstance(value, Exception) or self.is_awaitable(value):
            raise _Fallback
        if step.serialize is not None:
            serialized = step.serialize(value)
            if serialized is None or serialized is Undefined:
                raise _Fallback
            return serialized
        assert step.nested is not None
        _accept(step.nested, type(value))
        return self._complete(step.nested, value)


class _SharedCompletion(_Completion):
    """The completion compiled plans keep: bound to the awaitable check only, never to a
    request's executor (a plan outlives the request that made it)."""

    def __init__(self, is_awaitable: IsAwaitable) -> None:
        self.is_awaitable = is_awaitable


_COMPLETIONS: dict[IsAwaitable, _SharedCompletion] = {}


def _shared_completion(is_awaitable: IsAwaitable) -> _SharedCompletion:
    found = _COMPLETIONS.get(is_awaitable)
    if found is None:
        found = _COMPLETIONS[is_awaitable] = _SharedCompletion(is_awaitable)
    return found


SHARED_PLANS = 512
"""Plans of list selections, and of single objects' selections, kept across requests (least
recently used first out)."""

_shared_plans: IdentityMemo[Plan | None] = IdentityMemo(SHARED_PLANS)
_object_plans: IdentityMemo[Plan | None] = IdentityMemo(SHARED_PLANS)
_directive_free: IdentityMemo[bool] = IdentityMemo(SHARED_PLANS)
written_items = WrittenItems()
"""Encoded answers of keyed list items, for callers that take results encoded."""


def _without_directives(
    operation: OperationDefinitionNode, fragments: dict[str, FragmentDetails]
) -> bool:
    """Whether no selection of the operation (fragments included) carries a directive: then
    what a selection collects depends on the document alone, never on variables."""
    found = _directive_free.get((operation,))
    if found is not None:
        return found[0]
    pending: list[SelectionSetNode | None] = [operation.selection_set]
    pending += [fragment.definition.selection_set for fragment in fragments.values()]
    free = True
    while pending and free:
        selection_set = pending.pop()
        for selection in selection_set.selections if selection_set else ():
            if selection.directives:
                free = False
                break
            if isinstance(selection, FieldNode | InlineFragmentNode):
                pending.append(selection.selection_set)
            elif not isinstance(selection, FragmentSpreadNode):
                free = False
    _directive_free.put((operation,), free)
    return free


class PlainDataExecutor(_Completion, StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor with a direct path for plain-data objects.

    The plan of a list selection is kept across requests when its document carries no
    directive (keyed by the very nodes it was made from, which the entry keeps alive), so a
    document sent again, which the parser cache answers with the same nodes, reuses the plan
    and its compiled function."""

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        if position_context is None and path is not None and not self._has_middleware():
            plan = self._object_plan(parent_type, grouped_field_set)
            if plan is not None:
                try:
                    return self._complete(plan, source_value)
                except _Fallback:
                    pass
        return super().execute_fields(
            parent_type, source_value, path, grouped_field_set, position_context
        )

    def _object_plan(self, parent: GraphQLObjectType, grouped: GroupedFieldSet) -> Plan | None:
        """The plan of one object's selection: kept across requests, as a list's is, when the
        document carries no directive (keyed by the selection's own nodes)."""
        if not _without_directives(self.operation, self.fragments):
            return self._plan(parent, grouped)
        made_of = (self.operation, parent, *(d.node for ds in grouped.values() for d in ds))
        kept = _object_plans.get(made_of)
        if kept is not None:
            return kept[0]
        plan = self._plan(parent, grouped)
        _object_plans.put(made_of, plan)
        return plan

    def complete_iterable_value(
        self,
        item_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        items: Iterable[Any],
        position_context: Any,
    ) -> Any:
        """A list of plain-data objects completed in one loop, without a completion call
        per item; any item that is not plain sends the whole list the generic way."""
        plan, non_null, kept = self._list_plan(
            item_type, field_details_list, path, position_context
        )
        if plan is not None and isinstance(items, Projected) and len(items) >= LONG_LIST:
            write = self._writer(plan, items.projection)
            if write is not None:
                try:
                    sources = items.sources
                    if kept and isinstance(sources, Keyed) and self._takes_encoded():
                        return written_items.encoded(write, sources)
                    return [write(source) for source in sources]
                except Exception:  # noqa: S110 - the built objects take the generic path
                    pass
        if plan is not None:
            items = items if isinstance(items, list) else list(items)
            try:
                return self._complete_list(plan, non_null, items)
            except _Fallback:
                pass
        return super().complete_iterable_value(
            item_type, field_details_list, info, path, items, position_context
        )

    def _complete_list(self, plan: Plan, non_null: bool, items: list[Any]) -> list[Any]:
        if len(items) < LONG_LIST:
            return [self._complete_item(plan, non_null, item) for item in items]
        complete, accepted = self._compiled(plan), plan.accepted
        try:
            return [
                complete(item)
                if type(item) in accepted
                else self._complete_item(plan, non_null, item)
                for item in items
            ]
        except _Fallback:
            raise
        except Exception as error:
            raise _Fallback from error

    def _takes_encoded(self) -> bool:
        """The caller sends results as JSON as they are (``Context.encoded_answers``)."""
        return getattr(self.context_value, "encoded_answers", False) is True

    def _writer(self, plan: Plan, projection: Projection[Any]) -> Writer | None:
        """The plan's writer for sources of ``projection``, made once per plan."""
        if projection not in plan.writers:
            shared = _shared_completion(self.is_awaitable)
            plan.writers[projection] = projection.writer(plan, shared._complete_value)
        write: Writer | None = plan.writers[projection]
        return write

    def _compiled(self, plan: Plan) -> Completer:
        if plan.compiled is None:
            shared = _shared_completion(self.is_awaitable)
            plan.compiled = compile_plan(plan, shared._complete_value, self._compiled)
        return plan.compiled

    def _list_plan(
        self,
        item_type: GraphQLOutputType,
        details: FieldDetailsList,
        path: Path,
        position_context: Any,
    ) -> tuple[Plan | None, bool, bool]:
        """The plan of a list selection, whether its items are non-null, and whether the plan
        is kept across requests (its document carries no directive)."""
        non_null = isinstance(item_type, GraphQLNonNull)
        named = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        if (
            position_context is not None
            or not isinstance(named, GraphQLObjectType)
            or named.is_type_of is not None
            or self._has_middleware()
            or self.get_stream_usage(details, path) is not None
        ):
            return None, non_null, False
        shared = _without_directives(self.operation, self.fragments)
        made_of = (self.operation, named, *(detail.node for detail in details))
        if shared:
            kept = _shared_plans.get(made_of)
            if kept is not None:
                return kept[0], non_null, True
        grouped, defer_usages, _ = self.collect_subfields(named, details)
        plan = None if defer_usages else self._plan(named, grouped)
        if shared:
            _shared_plans.put(made_of, plan)
        return plan, non_null, shared

    def _complete_item(self, plan: Plan, non_null: bool, item: Any) -> dict[str, Any] | None:
        if item is None:
            if non_null:
                raise _Fallback
            return None
        if isinstance(item, Exception) or self.is_awaitable(item):
            raise _Fallback
        _accept(plan, type(item))
        return self._complete(plan, item)

    def _has_middleware(self) -> bool:
        manager = self.middleware_manager
        return manager is not None and bool(manager.middlewares)

    def _plan(self, parent: GraphQLObjectType, grouped: GroupedFieldSet) -> Plan | None:
        """How to complete ``parent`` objects for this selection, or None if not plain.

        Memoized per request by the identity of the selection, which graphql-core itself
        memoizes, so every row of a list shares one plan."""
        plans: dict[tuple[str, int], Plan | None] = self.__dict__.setdefault("_plain_plans", {})
        key = (parent.name, id(grouped))
        if key in plans:
            plan = plans[key]
            return plan if plan is not None and plan.grouped_field_set is grouped else None
        plans[key] = None
        steps = []
        for name, details in grouped.items():
            step = self._step(parent, name, details)
            if step is None:
                return None
            steps.append(step)
        plan = Plan(parent.name, steps, grouped)
        plans[key] = plan
        return plan

    def _step(self, parent: GraphQLObjectType, name: str, details: FieldDetailsList) -> Step | None:
        node = details[0].node
        field_name = node.name.value
        if field_name == "__typename":
            return Step(name, None, True)
        field_def = self.schema.get_field(parent, field_name)
        if field_def is None or node.arguments:
            return None
        attribute = _plain_attribute(field_def)
        if attribute is None:
            return None
        field_type: GraphQLOutputType = field_def.type
        non_null = isinstance(field_type, GraphQLNonNull)
        named = field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type
        if is_leaf_type(named):
            members_type, members = enum_members(named)
            temporal = scalar_origin(named)
            return Step(
                name,
                attribute,
                non_null,
                serialize=named.coerce_output_value,
                exact=OWN_OUTPUT.get(id(named)) or members_type or temporal,
                members=members,
                typed=temporal is not None,
            )
        if not isinstance(named, GraphQLObjectType) or named.is_type_of is not None:
            return None
        grouped, defer_usages, _ = self.collect_subfields(named, details)
        nested = None if defer_usages else self._plan(named, grouped)
        if nested is None:
            return None
        return Step(name, attribute, non_null, nested=nested)
