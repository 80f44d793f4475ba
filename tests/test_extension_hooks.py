"""Extension hooks entered by ``HookRunner`` run as strawberry's own runner runs them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
import strawberry
from strawberry.extensions import ParserCache, SchemaExtension
from strawberry.extensions.context import ExtensionContextManagerBase

from schema.build import Schema, build_schema
from schema.engine.extension_hooks import Phase, hook_of

EVENTS: list[str] = []


class Generators(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        EVENTS.append("operation:sync:enter")
        yield
        EVENTS.append("operation:sync:exit")

    async def on_execute(self) -> AsyncIterator[None]:
        EVENTS.append("execute:async:enter")
        yield
        EVENTS.append(f"execute:async:exit:{self.execution_context.result is not None}")

    def get_results(self) -> dict[str, Any]:
        return {"generators": len(EVENTS)}


class Callables(SchemaExtension):
    def on_operation(self) -> None:  # type: ignore[override]
        EVENTS.append("operation:callable")

    async def on_validate(self) -> None:  # type: ignore[override]
        EVENTS.append("validate:coroutine")


class SyncOnly(SchemaExtension):
    def on_operation(self) -> None:  # type: ignore[override]
        EVENTS.append("operation:callable")

    def on_parse(self) -> Iterator[None]:
        yield
        EVENTS.append("parse:sync")


class Swallows(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        try:
            yield
        except Exception:
            EVENTS.append("operation:swallowed")


class Disabled(SchemaExtension):
    on_validate = None  # type: ignore[assignment]


class FailsAfterExecuting(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        yield
        raise RuntimeError("the extension broke")


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        EVENTS.append("resolver")
        return "world"


def _pair(*extensions: type[SchemaExtension]) -> tuple[strawberry.Schema, strawberry.Schema]:
    """The same schema entered by strawberry's runner and by ``HookRunner``."""
    kept: list[Callable[[], SchemaExtension] | type[SchemaExtension]] = [
        lambda: ParserCache(maxsize=8),
        *extensions,
    ]
    return strawberry.Schema(query=Query, extensions=kept), Schema(query=Query, extensions=kept)


async def _events(
    schema: strawberry.Schema, query: str, operation: str | None = None
) -> tuple[list[str], Any]:
    EVENTS.clear()
    result = await schema.execute(query, operation_name=operation)
    errors = [(e.message, e.path) for e in result.errors or []]
    return list(EVENTS), (result.data, errors, result.extensions)


async def test_every_kind_of_hook_runs_in_strawberrys_order() -> None:
    # given one schema entered by strawberry's runner and the same by HookRunner, with
    # generator, async generator, plain and coroutine hooks
    stock, ours = _pair(Generators, Callables)
    # when each answers the same query
    expected = await _events(stock, "{ hello }")
    answered = await _events(ours, "{ hello }")
    # then the hooks ran in the same order around the resolver, with the same results
    assert answered == expected
    assert expected[0] == [
        "operation:sync:enter",
        "operation:callable",
        "validate:coroutine",
        "execute:async:enter",
        "resolver",
        "execute:async:exit:True",
        "operation:sync:exit",
    ]
    assert expected[1] == ({"hello": "world"}, [], {"generators": 7})


async def test_a_hook_failing_on_exit_answers_as_strawberry_answers() -> None:
    # given both runners with a hook that raises once the operation has executed
    stock, ours = _pair(Generators, FailsAfterExecuting)
    # when each answers the same query
    expected = await _events(stock, "{ hello }")
    answered = await _events(ours, "{ hello }")
    # then the failure is reported, and everything else ran, exactly alike
    assert answered == expected
    assert expected[1][1] == [("the extension broke", None)]


async def test_a_document_that_does_not_parse_answers_as_strawberry_answers() -> None:
    # given both runners
    stock, ours = _pair(Generators, Callables)
    # when each gets a document that does not parse
    expected = await _events(stock, "{ hello ")
    answered = await _events(ours, "{ hello ")
    # then both stop after parsing, with the same error and the same hooks run
    assert answered == expected
    assert "resolver" not in expected[0]


def test_the_sync_path_enters_the_same_hooks() -> None:
    # given both runners, with synchronous hooks only
    stock, ours = _pair(SyncOnly)
    # when each answers synchronously
    EVENTS.clear()
    expected = stock.execute_sync("{ hello }").data
    stock_events = list(EVENTS)
    EVENTS.clear()
    answered = ours.execute_sync("{ hello }").data
    # then alike
    assert (answered, EVENTS) == (expected, stock_events)
    assert stock_events == ["operation:callable", "parse:sync", "resolver"]


def test_each_hook_is_wrapped_once_per_class_and_an_unused_phase_enters_nothing() -> None:
    # given an extension that defines an operation and an execution hook, and no parse hook
    extension = Generators()
    # when its hooks are looked up twice
    first, again = hook_of(Generators, "on_operation"), hook_of(Generators, "on_operation")
    # then the same wrapper comes back, and a phase it has no hook for holds nothing
    assert first is not None and first is again
    assert hook_of(Generators, "on_parse") is None
    assert Phase([extension], "on_parse").entries == []


async def test_the_service_schema_never_rebuilds_a_hook_per_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given strawberry's per-phase hook lookup made to fail
    def rebuilt(*_: Any) -> None:
        raise AssertionError("a hook was looked up again for this request")

    monkeypatch.setattr(ExtensionContextManagerBase, "get_hook", rebuilt)
    # when the service's schema answers a schema-only query
    result = await build_schema().execute("{ __typename }")
    # then it answered with every extension's hooks entered, none looked up again
    assert result.errors is None
    assert result.data == {"__typename": "Query"}


async def test_a_hook_cannot_swallow_what_its_phase_raises() -> None:
    # given both runners with an operation hook that catches whatever its phase raises
    stock, ours = _pair(Swallows)
    # when each is asked for an operation the document does not hold
    raised = []
    for schema in (stock, ours):
        with pytest.raises(Exception) as failure:
            await _events(schema, "query A { hello }", "B")
        raised.append((type(failure.value), list(EVENTS)))
    # then the failure still comes out of both, the same one, after the hook saw it
    assert raised[0] == raised[1]
    assert raised[0][1] == ["operation:swallowed"]


async def test_a_hook_set_to_none_is_no_hook() -> None:
    # given both runners with an extension whose validation hook is switched off
    stock, ours = _pair(Disabled, Generators)
    # when each answers the same query
    expected = await _events(stock, "{ hello }")
    answered = await _events(ours, "{ hello }")
    # then both answer, alike
    assert answered == expected and expected[1][0] == {"hello": "world"}


class Sees(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        try:
            yield
        except Exception as error:
            EVENTS.append(f"operation:saw:{type(error).__name__}")
            raise
        EVENTS.append("operation:saw:nothing")


class Replaces(SchemaExtension):
    async def on_operation(self) -> AsyncIterator[None]:  # type: ignore[override]
        try:
            yield
        except Exception as error:
            raise LookupError(f"replaced {type(error).__name__}")  # noqa: B904 - its context is compared


class YieldsTwice(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        yield


async def _raised(schema: strawberry.Schema, query: str, operation: str | None) -> Any:
    EVENTS.clear()
    try:
        result = await schema.execute(query, operation_name=operation)
    except Exception as error:
        context = error.__context__
        return (type(error), str(error), type(context) if context else None, list(EVENTS))
    return (None, [(e.message, e.path) for e in result.errors or []], None, list(EVENTS))


@pytest.mark.parametrize(
    ("extensions", "query", "operation"),
    [
        ((Sees, Swallows), "query A { hello }", "B"),
        ((Sees, Replaces), "query A { hello }", "B"),
        ((Replaces, Sees), "query A { hello }", "B"),
        ((Sees, YieldsTwice), "{ hello }", None),
        ((YieldsTwice, Sees), "query A { hello }", "B"),
    ],
    ids=["swallowed inside", "replaced inside", "replaced outside", "no stop", "no stop outside"],
)
async def test_hooks_leave_a_failing_phase_as_an_exit_stack_leaves_it(
    extensions: tuple[type[SchemaExtension], ...], query: str, operation: str | None
) -> None:
    # given both runners with hooks that swallow, replace or mishandle what their phase raises
    stock, ours = _pair(*extensions)
    # when each runs an operation that fails in its phase (or a hook that does not stop)
    expected = await _raised(stock, query, operation)
    answered = await _raised(ours, query, operation)
    # then the same exception (and what it was raised during) comes out, after the same hooks
    assert answered == expected
