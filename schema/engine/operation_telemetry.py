"""A schema extension recording each operation's name, role, duration and error codes."""

from __future__ import annotations

import time
from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from schema.shared.context import Context


class OperationTelemetry(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        context = self.execution_context.context
        if not isinstance(context, Context) or context.telemetry is None:
            return
        result = self.execution_context.result
        codes = []
        for error in getattr(result, "errors", None) or []:
            extensions = error.extensions or {}
            codes.append(str(extensions.get("code", "GRAPHQL_ERROR")))
        role = context.principal.role.value if context.principal else ""
        context.telemetry.record_operation(
            self.execution_context.operation_name or "anonymous",
            role,
            time.perf_counter() - started,
            codes,
        )
