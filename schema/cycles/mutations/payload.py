"""``CyclePayload``: the cycle as it now stands, and why a change was refused."""

from __future__ import annotations

import strawberry

from resolvers.cycles.transition import CycleOutcome
from schema.cycles.types import Cycle
from schema.shared.user_errors import UserError, user_errors


@strawberry.type
class CyclePayload:
    cycle: Cycle | None
    user_errors: list[UserError]

    @classmethod
    def of(cls, outcome: CycleOutcome) -> CyclePayload:
        row = outcome.cycle
        return cls(cycle=Cycle(row=row) if row else None, user_errors=user_errors(outcome.errors))
