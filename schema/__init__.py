"""The GraphQL layer: types, inputs, permissions, the request context and its DataLoaders."""

# The GraphQL enums, with their descriptions, must be registered before any type that uses
# them is declared: strawberry would otherwise wrap a bare enum on first use, without one.
from schema.shared import enums as _enums  # noqa: F401
