import strawberry

from schema.mutations.cycle.close_cycle import close_cycle_field
from schema.mutations.cycle.open_cycle import open_cycle_field


@strawberry.type
class CycleMutations:
    open_cycle = open_cycle_field
    close_cycle = close_cycle_field
