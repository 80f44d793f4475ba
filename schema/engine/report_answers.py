"""Report answers reused until the data behind them changes.

A query whose root fields are all reports (``report``, ``publicReport``) is answered from a
per-process store when a caller with the same scope sent the same document and variables
since the report epoch last changed (``models.reports.epoch``). The epoch token is read
*before* the query runs, so an answer is always stored under a token no newer than its data;
any write to a table a report reads replaces the token and so retires every stored answer.
Only answers without errors are stored; the store is bounded by entries, by bytes held and
by age (a backstop for writes the epoch cannot see, such as a restore with triggers off).
On PostgreSQL the token comes with the caller's session (``Context.report_epoch``), read by the
same statement before anything runs. The operation that starts first takes it; every other
operation of a batch (they run concurrently, in no promised order) reads a token of its own here,
as does every operation on SQLite.
Answers are stored encoded, as JSON bytes: the HTTP view (``Context.encoded_answers``) sends
them as they are, inside its response, without decoding or encoding them again; any other
caller gets them decoded.
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import ExecutionResult, FieldNode, OperationType, get_operation_ast
from strawberry.extensions import SchemaExtension

from kernel.telemetry import log_event
from resolvers.reports.epoch import current_token
from resolvers.shared.scope import caller_scope
from schema.engine.exact_json import exact_dumps
from schema.shared.context import Context

REPORT_FIELDS = frozenset({"report", "publicReport"})
"""Root fields whose answers depend only on the caller's scope, the arguments and the
report tables."""
ALONGSIDE = frozenset({"__typename"})
"""Root fields a stored answer may hold beside reports (a document of these alone reads no
epoch: it has no report to store)."""

Key = tuple[str, str, str, tuple[object, ...]]


@dataclass
class _Entry:
    token: str
    data: bytes
    stored_at: float


class ReportAnswers:
    """A least-recently-used store of answers, each valid under one epoch token."""

    def __init__(
        self,
        max_entries: int,
        max_bytes: int,
        max_age_seconds: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.max_age_seconds = max_age_seconds
        self.clock = clock
        self.bytes = 0
        self._entries: OrderedDict[Key, _Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Key, token: str) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.token != token or self.clock() - entry.stored_at > self.max_age_seconds:
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return entry.data

    def put(self, key: Key, token: str, data: dict[str, Any]) -> bytes | None:
        """Store ``data`` encoded and return its bytes (kept only when it fits the store)."""
        encoded = exact_dumps(data)
        if key in self._entries:
            self._drop(key)
        if len(encoded) > self.max_bytes:
            return encoded
        self._entries[key] = _Entry(token, encoded, self.clock())
        self.bytes += len(encoded)
        while len(self._entries) > self.max_entries or self.bytes > self.max_bytes:
            self._drop(next(iter(self._entries)))
        return encoded

    def _drop(self, key: Key) -> None:
        self.bytes -= len(self._entries.pop(key).data)


def answer_key(
    query: str | None,
    operation_name: str | None,
    variables: dict[str, Any] | None,
    document: Any,
    principal_scope: tuple[object, ...],
) -> Key | None:
    """The key of a query made of report fields (``__typename`` beside them allowed); None for
    anything else."""
    if query is None or document is None:
        return None
    operation = get_operation_ast(document, operation_name)
    if operation is None or operation.operation is not OperationType.QUERY:
        return None
    names = [
        s.name.value if isinstance(s, FieldNode) else "" for s in operation.selection_set.selections
    ]
    if not set(names) <= REPORT_FIELDS | ALONGSIDE or not set(names) & REPORT_FIELDS:
        return None
    encoded = json.dumps(variables or {}, sort_keys=True, separators=(",", ":"), default=str)
    return (query, operation_name or "", encoded, principal_scope)


class ReportCache(SchemaExtension):
    """Serve a stored answer when the epoch has not moved; store fresh error-free answers."""

    def __init__(self, answers: ReportAnswers) -> None:
        self.answers = answers

    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        context = execution.context
        key, read = None, None
        if isinstance(context, Context):
            read, context.report_epoch = context.report_epoch, None
            key = answer_key(
                execution.query,
                execution.operation_name,
                execution.variables,
                execution.graphql_document,
                caller_scope(context.principal),
            )
        if execution.result is not None:  # already answered: refused before it runs
            key = None
        token = None
        if key is not None:
            token = read or await _token()
        if key is None or token is None:
            yield
            return
        stored = self.answers.get(key, token)
        _count(context, "hit" if stored is not None else "miss")
        if stored is not None:
            execution.result = ExecutionResult(data=_handed_out(context, stored))
        yield
        result = execution.result
        if stored is None and isinstance(result, ExecutionResult) and _storable(result):
            encoded = self.answers.put(key, token, result.data or {})
            if encoded is not None and context.encoded_answers:
                result.data = _embedded(encoded)


def _handed_out(context: Context, stored: bytes) -> Any:
    """The stored answer as this caller takes it: bytes to embed for the HTTP view, a fresh
    decoded copy for anyone else (so no caller can change what is stored)."""
    return _embedded(stored) if context.encoded_answers else orjson.loads(stored)


def _embedded(encoded: bytes) -> Any:
    """JSON bytes that orjson writes into a response as they are."""
    return orjson.Fragment(encoded)


async def _token() -> str | None:
    """The epoch token; when it cannot be read the query simply runs without the store."""
    try:
        return await current_token()
    except Exception as error:
        log_event("report_cache.token_unavailable", error=type(error).__name__)
        return None


def _storable(result: ExecutionResult) -> bool:
    return not result.errors and result.data is not None


def _count(context: Any, outcome: str) -> None:
    telemetry = getattr(context, "telemetry", None)
    if telemetry is not None:
        telemetry.report_answers.labels(outcome).inc()
