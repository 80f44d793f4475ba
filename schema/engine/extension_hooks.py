"""Schema extension hooks entered as strawberry enters them, without rebuilding their wrappers.

Strawberry's runner looks up, inspects and wraps every extension's hook again for each phase
of each operation (four phases, every extension), and opens an exit stack even for a phase no
extension uses. A hook is a property of the extension's class, so ``HookRunner`` finds and
wraps it once per class and phase; each phase then enters the same context managers, in the
same order, on the same exit stack, and a phase without hooks is entered as nothing. As in
strawberry, no hook can suppress an exception raised inside its phase.

Hooks are looked up on the class, as strawberry looks them up; a hook (or ``get_results``)
set on one instance is not seen, and a hook replaced on a class after its first request is
not seen either.
"""

from __future__ import annotations

import contextlib
import inspect
from asyncio import iscoroutinefunction
from collections.abc import AsyncIterator, Callable, Iterator
from types import TracebackType
from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.types import ExecutionContext
from strawberry.utils.await_maybe import await_maybe

Factory = Callable[[SchemaExtension], Any]
"""Called with the extension, gives the context manager its hook is for this phase."""

_hooks: dict[tuple[type[SchemaExtension], str], tuple[Factory, bool] | None] = {}


def hook_of(cls: type[SchemaExtension], name: str) -> tuple[Factory, bool] | None:
    """The context-manager factory of ``cls``'s hook ``name`` and whether it is entered
    asynchronously; None when ``cls`` does not define that hook. Found and wrapped as
    strawberry's ``ExtensionContextManagerBase.get_hook`` does, once per class."""
    key = (cls, name)
    if key not in _hooks:
        _hooks[key] = _wrap(cls, name)
    return _hooks[key]


def _wrap(cls: type[SchemaExtension], name: str) -> tuple[Factory, bool] | None:
    function = getattr(cls, name)
    if not function or function is getattr(SchemaExtension, name):
        return None
    if inspect.isgeneratorfunction(function):
        return contextlib.contextmanager(function), False
    if inspect.isasyncgenfunction(function):
        return contextlib.asynccontextmanager(function), True
    if not callable(function):
        raise ValueError(f"Hook {name} on {cls} must be callable, received {function!r}")
    if iscoroutinefunction(function):

        async def awaited(extension: SchemaExtension) -> AsyncIterator[None]:
            await function(extension)
            yield

        return contextlib.asynccontextmanager(awaited), True

    def called(extension: SchemaExtension) -> Iterator[None]:
        function(extension)
        yield

    return contextlib.contextmanager(called), False


def reports_results(cls: type[SchemaExtension]) -> bool:
    """Whether ``cls`` has results of its own for the response's ``extensions``."""
    return cls.get_results is not SchemaExtension.get_results


class Phase:
    """One phase's hooks, entered in the extensions' order on one exit stack."""

    __slots__ = ("entries", "name", "stack", "sync_stack")

    def __init__(self, extensions: list[SchemaExtension], name: str) -> None:
        self.name = name
        self.entries: list[tuple[SchemaExtension, Factory, bool]] = []
        for extension in extensions:
            found = hook_of(type(extension), name)
            if found is not None:
                self.entries.append((extension, *found))

    async def __aenter__(self) -> None:
        if not self.entries:
            return
        self.stack = contextlib.AsyncExitStack()
        await self.stack.__aenter__()
        for extension, factory, is_async in self.entries:
            if is_async:
                await self.stack.enter_async_context(factory(extension))
            else:
                self.stack.enter_context(factory(extension))

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        if self.entries:
            await self.stack.__aexit__(exc_type, exc_val, exc_tb)

    def __enter__(self) -> None:
        if not self.entries:
            return
        self.sync_stack = contextlib.ExitStack()
        self.sync_stack.__enter__()
        for extension, factory, is_async in self.entries:
            if is_async:
                raise RuntimeError(
                    f"SchemaExtension hook {extension}.{self.name} failed to complete "
                    "synchronously."
                )
            self.sync_stack.enter_context(factory(extension))

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        if self.entries:
            self.sync_stack.__exit__(exc_type, exc_val, exc_tb)


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
