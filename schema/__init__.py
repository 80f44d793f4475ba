"""The GraphQL layer: types, inputs, permissions, the request context and its DataLoaders."""
