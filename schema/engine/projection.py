"""Strawberry objects worked out from a source value, and answers written from the sources.

A ``Projection`` says how each field of a strawberry type is read from a source: a Python
expression over the name ``source`` (by default the attribute of the field's own name), and,
for a field of another strawberry type, that type's projection, applied to what the field's
expression reads. Two functions are compiled from it:

- ``build`` makes the strawberry object, nested objects included: what the generic path
  completes;
- ``writer(plan)`` writes the completed answer of one selection (a plain-data ``Plan``)
  straight from the source: the same reads, the same checks and serializations as the
  plain-data executor's compiled plans (``plain_plans.leaf_item``), nested answers written
  inline, and no object made on the way.

``Projected`` is a list answer of sources. Iterated (by the generic path) it gives the built
objects; the plain-data executor writes a long one with the writer of its selection instead,
and falls back to the built objects whenever a value needs the generic path.
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Generic, TypeVar

from strawberry.types.base import StrawberryOptional

from models.shared.keyed import MadeWhenAsked
from schema.engine.plain_plans import INT_RANGE, Plan, Step, leaf_item

T = TypeVar("T")

Writer = Callable[[Any], dict[str, Any]]


def _fields(cls: type) -> dict[str, Any]:
    """What makes an object of the strawberry type ``cls``: each argument of its constructor
    (private fields included, resolvers not) with its type, as strawberry reads it."""
    definition = getattr(cls, "__strawberry_definition__", None)
    if definition is None:
        raise TypeError(f"{cls.__name__} is not a strawberry type")
    typed = {f.python_name: f.type for f in definition.fields}
    return {f.name: typed.get(f.name) for f in dataclasses.fields(cls) if f.init}


def _rebased(expression: str, name: str) -> str:
    """``expression`` with the name ``source`` standing for ``name``."""

    class Rename(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.Name:
            return ast.Name(name, node.ctx) if node.id == "source" else node

    tree = Rename().visit(ast.parse(expression, mode="eval"))
    return ast.unparse(tree)


@dataclass(frozen=True, eq=False)
class Projection(Generic[T]):
    """How objects of the strawberry type ``type`` are read from a source."""

    type: type[T]
    reads: Mapping[str, str] = field(default_factory=dict)
    """Field (Python name) → expression over ``source``; a field not named reads the
    source's attribute of its own name."""
    nested: Mapping[str, Projection[Any]] = field(default_factory=dict)
    """Field of a strawberry type → that type's projection, over what the field reads."""
    build: Callable[[Any], T] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        fields = _fields(self.type)
        unknown = (set(self.reads) | set(self.nested)) - set(fields)
        if unknown:
            raise TypeError(f"{self.type.__name__} has no field {sorted(unknown)}")
        for name, projection in self.nested.items():
            if _object_type(fields[name]) is not projection.type:
                raise TypeError(f"{self.type.__name__}.{name} is not a {projection.type}")
        missing = [n for n, t in fields.items() if _object_type(t) and n not in self.nested]
        if missing:
            raise TypeError(f"{self.type.__name__}: no projection for {missing}")
        object.__setattr__(self, "build", self._compile_build())

    @property
    def type_name(self) -> str:
        name: str = self.type.__strawberry_definition__.name  # type: ignore[attr-defined]
        return name

    def read(self, python_name: str, source: str) -> str:
        """The expression of a field over the variable ``source``."""
        expression = self.reads.get(python_name)
        if expression is None:
            return f"{source}.{python_name}"
        return _rebased(expression, source)

    def _compile_build(self) -> Callable[[Any], T]:
        env: dict[str, Any] = {"made": self.type}
        arguments = []
        for i, (name, annotation) in enumerate(_fields(self.type).items()):
            read = self.read(name, "source")
            nested = self.nested.get(name)
            if nested is not None:
                env[f"nested{i}"] = nested.build
                if _is_optional(annotation):
                    read = f"None if (v := {read}) is None else nested{i}(v)"
                else:
                    read = f"nested{i}({read})"
            arguments.append(f"{name}=({read})")
        code = f"def build(source):\n    return made({', '.join(arguments)})"
        exec(code, env)  # noqa: S102 - generated from the type's own field names
        build: Callable[[Any], T] = env["build"]
        return build

    def writer(self, plan: Plan, complete_value: Callable[[Step, Any], Any]) -> Writer | None:
        """The function writing ``plan``'s answer from a source, or None when the plan
        selects what this projection does not describe."""
        env: dict[str, Any] = {"INT_RANGE": INT_RANGE}
        display = _Writing(env, complete_value).display(self, plan, "source")
        if display is None:
            return None
        code = f"def write(source):\n    return {display}"
        exec(code, env)  # noqa: S102 - generated from the schema's own field names
        write: Writer = env["write"]
        return write


@dataclass
class _Writing:
    """One writer being generated: the names its code uses. A nested answer is written inline,
    from its source read once into a name of its own (``s<i>``)."""

    env: dict[str, Any]
    complete_value: Callable[[Step, Any], Any]
    count: int = 0

    def _index(self) -> int:
        self.count += 1
        return self.count

    def display(self, projection: Projection[Any], plan: Plan, source: str) -> str | None:
        if plan.type_name != projection.type_name:
            return None
        items = []
        for step in plan.steps:
            key = repr(step.response_name)
            if step.attribute is None:
                items.append(f"{key}: {plan.type_name!r}")
                continue
            i = self._index()
            read = projection.read(step.attribute, source)
            nested = projection.nested.get(step.attribute)
            if (nested is None) != (step.nested is None):
                return None
            if nested is None or step.nested is None:
                items.append(f"{key}: ({leaf_item(i, step, self.env, self.complete_value, read)})")
                continue
            inner = f"s{i}"
            written = self.display(nested, step.nested, inner)
            if written is None:
                return None
            if step.non_null:
                self.env[f"value{i}"] = partial(self.complete_value, step)
                items.append(
                    f"{key}: ({written} if ({inner} := {read}) is not None else value{i}(None))"
                )
            else:
                items.append(f"{key}: (None if ({inner} := {read}) is None else {written})")
        return "{" + ", ".join(items) + "}"


def _is_optional(annotation: Any) -> bool:
    return isinstance(annotation, StrawberryOptional)


def _object_type(annotation: Any) -> type | None:
    """The strawberry object type a field holds (optional or not), else None."""
    inner = annotation.of_type if isinstance(annotation, StrawberryOptional) else annotation
    if isinstance(inner, type) and hasattr(inner, "__strawberry_definition__"):
        return inner
    return None


class Projected(MadeWhenAsked[T]):
    """A list answer of ``sources``, each of which ``projection`` turns into an object, when
    the objects are asked for (once)."""

    def __init__(self, projection: Projection[T], sources: Sequence[Any]) -> None:
        self.projection = projection
        self.sources = sources
        self._built: list[T] | None = None

    def _objects(self) -> list[T]:
        if self._built is None:
            build = self.projection.build
            self._built = [build(source) for source in self.sources]
        return self._built

    def _values(self) -> list[T]:
        return self._objects()

    def __len__(self) -> int:
        return len(self.sources)
