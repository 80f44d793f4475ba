"""Build the strawberry schema with the limits and switches of the settings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig

from iepimp.settings import Settings
from schema.root import Mutation, Query

SDL_PATH = Path(__file__).with_name("schema.graphql")


def _should_mask(error: GraphQLError) -> bool:
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    extensions: list[Callable[[], SchemaExtension] | type[SchemaExtension]] = [
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        lambda: MaskErrors(should_mask_error=_should_mask, error_message="Unexpected error."),
    ]
    config = StrawberryConfig()
    if settings is not None:
        extensions[:0] = [
            lambda: QueryDepthLimiter(max_depth=settings.max_query_depth),
            lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
            lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        ]
        if not settings.introspection:
            extensions.append(DisableIntrospection)
        config = StrawberryConfig(disable_field_suggestions=settings.production)
    return strawberry.Schema(query=Query, mutation=Mutation, extensions=extensions, config=config)


def print_sdl(**_: Any) -> str:
    return build_schema().as_str() + "\n"
