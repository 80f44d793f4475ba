"""``CyclePayload``: the cycle as it now stands, and why a change was refused."""

from __future__ import annotations

import strawberry

from resolvers.cycles.transition import CycleOutcome
from schema.cycles.types import Cycle
from schema.shared import descriptions as doc
from schema.shared.user_errors import UserError, user_errors


@strawberry.type(description="The cycle after openCycle or closeCycle, or why it was refused.")
class CyclePayload:
    cycle: Cycle | None = strawberry.field(
        description="The cycle as it now stands; null when there is no such cycle."
    )
    user_errors: list[UserError] = strawberry.field(description=doc.USER_ERRORS)

    @classmethod
    def of(cls, outcome: CycleOutcome) -> CyclePayload:
        row = outcome.cycle
        return cls(cycle=Cycle.of(row) if row else None, user_errors=user_errors(outcome.errors))
