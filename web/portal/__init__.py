"""The reference portal: server-rendered screens of the state's guide over the public GraphQL
operations in ``operations/``."""
