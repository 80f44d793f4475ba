"""The root types, merged from the per-domain parts."""

from strawberry.tools import merge_types

from schema.mutations.auth.root import AuthMutations
from schema.queries.cycles import CycleQueries
from schema.queries.directory import DirectoryQueries

Query = merge_types("Query", (DirectoryQueries, CycleQueries))
Mutation = merge_types("Mutation", (AuthMutations,))
