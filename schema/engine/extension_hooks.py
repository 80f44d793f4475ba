"""Schema extension hooks entered as strawberry enters them, without rebuilding their wrappers.

Strawberry's runner looks up, inspects and wraps every extension's hook again for each phase
of each operation (four phases, every extension), and enters each hook as a ``contextlib``
context manager on an exit stack, even for a phase no extension uses. A hook is a property of
the extension's class, so ``HookRunner`` finds it once per class and phase, and each phase
runs the hooks themselves: a generator to its ``yield`` and on, in the same order, with what
an exit stack of those context managers would do on the way out (the same exceptions thrown
in, swallowed or chained); a phase without hooks is entered as nothing. As in strawberry, no
hook can suppress an exception raised inside its phase, and a hook that fails on entry leaves
the hooks entered before it as they are.

Hooks are looked up on the class, as strawberry looks them up; a hook (or ``get_results``)
set on one instance is not seen, and a hook replaced on a class after its first request is
not seen either.
"""

from __future__ import annotations

import inspect
from asyncio import iscoroutinefunction
from collections.abc import Callable
from types import TracebackType
from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.types import ExecutionContext
from strawberry.utils.await_maybe import await_maybe

GENERATOR, ASYNC_GENERATOR, CALL, COROUTINE = range(4)
"""How a hook is entered: a generator or async generator runs to its ``yield`` and is resumed
(or has the phase's exception thrown in) on exit; a function or coroutine is called on entry."""

Hook = tuple[Callable[[SchemaExtension], Any], int]

_hooks: dict[tuple[type[SchemaExtension], str], Hook | None] = {}


def hook_of(cls: type[SchemaExtension], name: str) -> Hook | None:
    """``cls``'s hook ``name`` and how it is entered; None when ``cls`` does not define that
    hook. Found as strawberry's ``ExtensionContextManagerBase.get_hook`` finds it, once per
    class."""
    key = (cls, name)
    if key not in _hooks:
        _hooks[key] = _kind(cls, name)
    return _hooks[key]


def _kind(cls: type[SchemaExtension], name: str) -> Hook | None:
    function = getattr(cls, name)
    if not function or function is getattr(SchemaExtension, name):
        return None
    if inspect.isgeneratorfunction(function):
        return function, GENERATOR
    if inspect.isasyncgenfunction(function):
        return function, ASYNC_GENERATOR
    if not callable(function):
        raise ValueError(f"Hook {name} on {cls} must be callable, received {function!r}")
    if iscoroutinefunction(function):
        return function, COROUTINE
    return function, CALL


def reports_results(cls: type[SchemaExtension]) -> bool:
    """Whether ``cls`` has results of its own for the response's ``extensions``."""
    return cls.get_results is not SchemaExtension.get_results


def _resumed(generator: Any, error: BaseException | None) -> bool:
    """A generator hook's exit, as ``contextlib.contextmanager`` exits: resumed, or the
    phase's ``error`` thrown in; True when the hook swallowed it."""
    if error is None:
        try:
            next(generator)
        except StopIteration:
            return False
        raise RuntimeError("generator didn't stop")
    try:
        generator.throw(error)
    except StopIteration as stop:
        return stop is not error
    except BaseException as raised:
        if raised is error:
            return False
        raise
    raise RuntimeError("generator didn't stop after throw()")


async def _resumed_async(generator: Any, error: BaseException | None) -> bool:
    """``_resumed`` for an async generator hook, as ``contextlib.asynccontextmanager``."""
    if error is None:
        try:
            await generator.__anext__()
        except StopAsyncIteration:
            return False
        raise RuntimeError("generator didn't stop")
    try:
        await generator.athrow(error)
    except StopAsyncIteration as stop:
        return stop is not error
    except BaseException as raised:
        if raised is error:
            return False
        raise
    raise RuntimeError("generator didn't stop after athrow()")


class _Leaving:
    """A phase being left, hook by hook in reverse order, as an exit stack leaves its context
    managers: the exception each next hook is handed (``pending``), and whether a hook raised
    it rather than the phase."""

    __slots__ = ("pending", "raised")

    def __init__(self, error: BaseException | None) -> None:
        self.pending, self.raised = error, False

    def left(self, swallowed: bool) -> None:
        if swallowed:
            self.pending, self.raised = None, False

    def failed(self, error: BaseException) -> None:
        """``error`` raised while ``pending`` was unwinding: ``pending`` becomes the end of
        its context chain, and the exception the next hook is handed."""
        if self.pending is not None:
            context = error
            while context.__context__ is not None and context.__context__ is not self.pending:
                context = context.__context__
            context.__context__ = self.pending
        self.pending, self.raised = error, True

    def finish(self) -> None:
        """Raise what a hook raised (its context as chained); the phase's own exception, or
        none, is left to propagate as it would."""
        if self.raised and self.pending is not None:
            pending = self.pending
            context = pending.__context__
            try:
                raise pending
            except BaseException:
                pending.__context__ = context
                raise


class Phase:
    """One phase's hooks, entered in the extensions' order and left in the reverse order, as
    an exit stack of ``contextlib`` context managers enters and leaves them."""

    __slots__ = ("entered", "entries", "name")

    def __init__(self, extensions: list[SchemaExtension], name: str) -> None:
        self.name = name
        self.entries: list[tuple[SchemaExtension, Callable[[SchemaExtension], Any], int]] = []
        for extension in extensions:
            found = hook_of(type(extension), name)
            if found is not None:
                self.entries.append((extension, *found))
        self.entered: list[tuple[Any, int]] = []

    async def __aenter__(self) -> None:
        for extension, function, kind in self.entries:
            if kind == GENERATOR:
                generator = function(extension)
                _started(generator)
                self.entered.append((generator, kind))
            elif kind == ASYNC_GENERATOR:
                generator = function(extension)
                await _started_async(generator)
                self.entered.append((generator, kind))
            elif kind == COROUTINE:
                await function(extension)
            else:
                function(extension)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        leaving = _Leaving(exc_val)
        while self.entered:
            generator, kind = self.entered.pop()
            try:
                if kind == GENERATOR:
                    leaving.left(_resumed(generator, leaving.pending))
                else:
                    leaving.left(await _resumed_async(generator, leaving.pending))
            except BaseException as error:
                leaving.failed(error)
        leaving.finish()

    def __enter__(self) -> None:
        for extension, function, kind in self.entries:
            if kind in (ASYNC_GENERATOR, COROUTINE):
                raise RuntimeError(
                    f"SchemaExtension hook {extension}.{self.name} failed to complete "
                    "synchronously."
                )
            if kind == GENERATOR:
                generator = function(extension)
                _started(generator)
                self.entered.append((generator, kind))
            else:
                function(extension)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        leaving = _Leaving(exc_val)
        while self.entered:
            generator, _ = self.entered.pop()
            try:
                leaving.left(_resumed(generator, leaving.pending))
            except BaseException as error:
                leaving.failed(error)
        leaving.finish()


def _started(generator: Any) -> None:
    try:
        next(generator)
    except StopIteration:
        raise RuntimeError("generator didn't yield") from None


async def _started_async(generator: Any) -> None:
    try:
        await generator.__anext__()
    except StopAsyncIteration:
        raise RuntimeError("generator didn't yield") from None


class HookRunner(SchemaExtensionsRunner):
    """Strawberry's runner with each phase's hooks taken from ``hook_of``."""

    def operation(self) -> Phase:  # type: ignore[override]
        return Phase(self.extensions, "on_operation")

    def validation(self) -> Phase:  # type: ignore[override]
        return Phase(self.extensions, "on_validate")

    def parsing(self) -> Phase:  # type: ignore[override]
        return Phase(self.extensions, "on_parse")

    def executing(self) -> Phase:  # type: ignore[override]
        return Phase(self.extensions, "on_execute")

    async def get_extensions_results(self, ctx: ExecutionContext) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for extension in self.extensions:
            if reports_results(type(extension)):
                data.update(await await_maybe(extension.get_results()))
        data.update(ctx.extensions_results)
        return data
