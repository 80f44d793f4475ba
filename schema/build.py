"""Build the strawberry schema with the settings' switches (limits: ``web.request_limits``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    DisableIntrospection,
    MaskErrors,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.schema.config import BatchingConfig, StrawberryConfig
from strawberry.types import ExecutionContext

from kernel.settings import Settings
from schema.engine.extension_hooks import HookRunner
from schema.engine.kept_validation import KeptValidation
from schema.engine.operation_telemetry import OperationTelemetry
from schema.engine.plain_executor import PlainDataExecutor
from schema.engine.query_cost import QueryCostBudget
from schema.engine.report_answers import ReportAnswers, ReportCache
from schema.root import Mutation, Query

SDL_PATH = Path(__file__).with_name("schema.graphql")


def _should_mask(error: GraphQLError) -> bool:
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


class MaskUnexpectedErrors(MaskErrors):
    """Hide what went wrong inside (it may hold SQL or student data); say only that it did."""

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        masked.extensions = {"code": "INTERNAL_SERVER_ERROR"}
        return masked

    def _process_result(self, result: object) -> None:
        """As strawberry's, which asks whether ``result`` has ``errors`` through a
        runtime-checkable protocol (an ``isinstance`` that inspects the protocol's members
        on every call); this asks for the attribute itself."""
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = self._process_errors(errors)  # type: ignore[attr-defined]


class Schema(strawberry.Schema):
    """Strawberry's schema with its extensions' hooks entered by ``HookRunner``."""

    def create_extensions_runner(
        self, execution_context: ExecutionContext, extensions: list[SchemaExtension]
    ) -> SchemaExtensionsRunner:
        return HookRunner(execution_context=execution_context, extensions=extensions)


def build_schema(settings: Settings | None = None, *, reference: bool = False) -> strawberry.Schema:
    """The schema with every fast path, or with ``reference`` the generic one they must
    answer exactly like: graphql-core's own executor, strawberry's own extension runner and
    validation cache, and no stored report answers."""
    extensions: list[Callable[[], SchemaExtension] | type[SchemaExtension]] = [
        lambda: ParserCache(maxsize=256),
        (lambda: ValidationCache(maxsize=256)) if reference else KeptValidation,
        lambda: MaskUnexpectedErrors(
            should_mask_error=_should_mask, error_message="Unexpected error."
        ),
        OperationTelemetry,
        QueryCostBudget,
    ]
    config = StrawberryConfig()
    if settings is not None:
        if not settings.introspection:
            extensions.append(DisableIntrospection)
        batching: BatchingConfig | None = None
        if settings.max_operations_per_request > 1:
            batching = {"max_operations": settings.max_operations_per_request}
        config = StrawberryConfig(
            disable_field_suggestions=settings.production, batching_config=batching
        )
        if settings.report_cache_entries > 0 and not reference:
            answers = ReportAnswers(
                settings.report_cache_entries,
                settings.report_cache_bytes,
                settings.report_cache_seconds,
            )
            extensions.append(lambda: ReportCache(answers))
    return (strawberry.Schema if reference else Schema)(
        query=Query,
        mutation=Mutation,
        extensions=extensions,
        config=config,
        execution_context_class=None if reference else PlainDataExecutor,
    )


def print_sdl(**_: Any) -> str:
    return build_schema().as_str() + "\n"
