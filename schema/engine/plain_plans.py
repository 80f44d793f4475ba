"""How the plain-data executor completes one selection on one object type: a list of steps,
and, for long lists, the same steps compiled into one Python function."""

from __future__ import annotations

import datetime as dt
import keyword
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from functools import partial
from typing import Any

from graphql import GraphQLBoolean, GraphQLID, GraphQLInt, GraphQLString
from graphql.execution.collect_fields import GroupedFieldSet
from strawberry.schema.types.scalar import DEFAULT_SCALAR_REGISTRY

OWN_OUTPUT: dict[int, type] = {
    id(GraphQLString): str,
    id(GraphQLID): str,
    id(GraphQLBoolean): bool,
    id(GraphQLInt): int,
}
"""Leaf types (by identity) for which a value of exactly this Python type is its own output."""
INT_RANGE = range(-(2**31), 2**31)

Completer = Callable[[Any], dict[str, Any]]


@dataclass
class Step:
    """One selected field: where its value is read, and how it is completed."""

    response_name: str
    attribute: str | None
    """None for ``__typename``."""
    non_null: bool
    serialize: Callable[[Any], Any] | None = None
    nested: Plan | None = None
    exact: type | None = None
    """A value of exactly this type is its own output (a 32-bit one, for ``int``), or, with
    ``members``, is output as ``members[value]``."""
    members: dict[Any, Any] | None = None
    """For an enum: each member of ``exact`` with the output the type gives it."""
    typed: bool = False
    """A value of exactly type ``exact`` is output by ``serialize``, with no other check."""


@dataclass
class Plan:
    type_name: str
    steps: list[Step]
    grouped_field_set: GroupedFieldSet
    """Kept so that the identity the plan is memoized by stays taken."""
    accepted: set[type] = field(default_factory=set, repr=False)
    """Classes whose instances the compiled function may complete without a check: strawberry
    types (never None, an exception or awaitable), added as they are first met."""
    compiled: Completer | None = field(default=None, repr=False)
    writers: dict[Any, Any] = field(default_factory=dict, repr=False)
    """By projection (each compares by identity): the function writing this plan's answer
    straight from that projection's sources, or None when it cannot."""


def _expression(
    i: int, step: Step, env: dict[str, Any], compiled: Callable[[Plan], Completer], v: str
) -> str:
    """The output of step ``i``'s value: directly when its type allows it, else by
    ``value{i}`` (the checked path). ``v`` is how the value is first read (an assignment
    expression), where the expression first evaluates it; later uses say ``v``."""
    if step.exact is int:
        low, high = INT_RANGE.start, INT_RANGE.stop
        return f"v if type({v}) is int and {low} <= v < {high} else value{i}(v)"
    if step.exact is not None:
        env[f"exact{i}"] = step.exact
        if step.members is not None:
            env[f"members{i}"] = step.members
            return f"members{i}[v] if type({v}) is exact{i} else value{i}(v)"
        if step.typed:
            env[f"serialize{i}"] = step.serialize
            return f"serialize{i}(v) if type({v}) is exact{i} else value{i}(v)"
        return f"v if type({v}) is exact{i} else value{i}(v)"
    if step.nested is not None:
        env[f"nested{i}"] = compiled(step.nested)
        env[f"accepted{i}"] = step.nested.accepted
        return f"nested{i}(v) if type({v}) in accepted{i} else value{i}(v)"
    return f"value{i}({v})"


def scalar_origin(leaf: Any) -> type | None:
    """For strawberry's own date and time scalars: the Python type each serializes, always to
    a string; None for any other leaf."""
    definition = (getattr(leaf, "extensions", None) or {}).get("strawberry-definition")
    origin = getattr(definition, "origin", None)
    if origin in _TEMPORAL and definition is DEFAULT_SCALAR_REGISTRY.get(origin):
        return origin  # type: ignore[no-any-return]
    return None


_TEMPORAL = (dt.date, dt.datetime, dt.time)


def completable_directly(cls: type) -> bool:
    """Instances of a strawberry type are never None, an exception or awaitable."""
    return (
        hasattr(cls, "__strawberry_definition__")
        and not hasattr(cls, "__await__")
        and not issubclass(cls, BaseException)
    )


def enum_members(leaf: Any) -> tuple[type | None, dict[Any, Any] | None]:
    """For a strawberry enum type: its Python enum and the output of each member, computed
    once by the type's own coercion; (None, None) for any other leaf."""
    wrapped = getattr(leaf, "wrapped_cls", None)
    if not (isinstance(wrapped, type) and issubclass(wrapped, Enum)):
        return None, None
    try:
        return wrapped, {member: leaf.coerce_output_value(member) for member in wrapped}
    except Exception:
        return None, None


def leaf_item(
    i: int, step: Step, env: dict[str, Any], complete_value: Callable[[Step, Any], Any], read: str
) -> str:
    """The output of leaf step ``i`` whose value ``read`` evaluates: directly when its type
    allows it, else by ``complete_value`` (which checks and serializes it as the step-by-step
    path does, or sends the whole object the generic way)."""
    env[f"value{i}"] = partial(complete_value, step)
    if step.non_null:
        return _expression(i, step, env, _no_nested, f"(v := {read})")
    return f"None if (v := {read}) is None else {_expression(i, step, env, _no_nested, 'v')}"


def _no_nested(plan: Plan) -> Completer:
    raise TypeError(f"{plan.type_name} is an object, not a leaf")


def compile_plan(
    plan: Plan,
    complete_value: Callable[[Step, Any], Any],
    compiled: Callable[[Plan], Completer],
) -> Completer:
    """One function doing what the plan's steps do, for an object of the plan's class.

    The function builds the answer as one dict display, in selection order. Each value of
    its own output type is stored as it is; a nested object of an accepted class goes to that
    plan's compiled function; anything else goes to ``complete_value``, which checks and
    serializes it exactly as the step-by-step path does."""
    env: dict[str, Any] = {"INT_RANGE": INT_RANGE}
    items = []
    for i, step in enumerate(plan.steps):
        key = repr(step.response_name)
        if step.attribute is None:
            items.append(f"{key}: {plan.type_name!r}")
            continue
        if step.attribute.isidentifier() and not keyword.iskeyword(step.attribute):
            read = f"source.{step.attribute}"
        else:
            env[f"name{i}"] = step.attribute
            read = f"getattr(source, name{i})"
        if step.nested is None:
            items.append(f"{key}: ({leaf_item(i, step, env, complete_value, read)})")
            continue
        env[f"value{i}"] = partial(complete_value, step)
        if step.non_null:
            expression = _expression(i, step, env, compiled, f"(v := {read})")
        else:
            inner = _expression(i, step, env, compiled, "v")
            expression = f"None if (v := {read}) is None else {inner}"
        items.append(f"{key}: ({expression})")
    lines = ["def complete(source):", "    return {" + ", ".join(items) + "}"]
    exec("\n".join(lines), env)  # noqa: S102 - generated from the schema's own field names
    function: Completer = env["complete"]
    return function
