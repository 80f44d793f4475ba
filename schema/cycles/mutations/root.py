import strawberry

from schema.cycles.mutations.close_cycle import close_cycle_field
from schema.cycles.mutations.exempt_lea import exempt_lea_field
from schema.cycles.mutations.open_cycle import open_cycle_field


@strawberry.type
class CycleMutations:
    open_cycle = open_cycle_field
    close_cycle = close_cycle_field
    exempt_lea = exempt_lea_field
