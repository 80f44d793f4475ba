"""Find the submission a mutation acts on, always through the scope hooks.

A foreign LEA is as absent as a missing one: both answer ``NOT_FOUND``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kernel.errors import ErrorCode, UserErrorData, user_error
from models import Cycle, LeaCycle, Submission
from models.shared.deadlines import effective_due
from models.shared.enums import ReviewDecision
from models.shared.identifiers import is_cds_code, is_cycle_name
from resolvers.shared import scope
from resolvers.shared.principal import Principal


@dataclass
class Target:
    cycle: Cycle
    membership: LeaCycle
    submission: Submission | None

    @property
    def cds_code(self) -> str:
        return self.membership.lea.cds_code

    @property
    def sample_size(self) -> int:
        return self.membership.sample_size or 0

    @property
    def due_at(self) -> datetime:
        """The LEA's effective due time: its extension, else the cycle's."""
        return effective_due(self.cycle.due_at, self.membership.due_at_extension)

    @property
    def rejected_at(self) -> datetime | None:
        row = self.submission
        if row is None or row.review_decision is not ReviewDecision.REJECT:
            return None
        return row.reviewed_at


def argument_errors(cycle: str, cds_code: str) -> list[UserErrorData]:
    errors = []
    if not is_cycle_name(cycle):
        errors.append(
            user_error(
                ErrorCode.INVALID_INPUT,
                "cycle must name a cycle such as 2024-25.",
                "input",
                "cycle",
            )
        )
    if not is_cds_code(cds_code):
        errors.append(
            user_error(
                ErrorCode.INVALID_INPUT, "cdsCode must be exactly 14 digits.", "input", "cdsCode"
            )
        )
    return errors


async def find_target(principal: Principal, cycle: str, cds_code: str) -> Target | UserErrorData:
    """The cycle, the LEA's membership and its submission as this caller may see them."""
    bad = argument_errors(cycle, cds_code)
    if bad:
        return bad[0]
    cycle_row = await scope.cycles(principal).filter(name=cycle).first()
    if cycle_row is None:
        return user_error(ErrorCode.NOT_FOUND, f"There is no cycle {cycle}.", "input", "cycle")
    membership = (
        await scope.memberships(principal, cycle_row.id)
        .filter(lea__cds_code=cds_code, active=True)
        .select_related("lea", "selpa")
        .first()
    )
    if membership is None:
        return user_error(
            ErrorCode.NOT_FOUND, f"There is no LEA {cds_code} in {cycle}.", "input", "cdsCode"
        )
    submission = (
        await scope.submissions(principal, cycle_row.id).filter(lea_id=membership.lea_id).first()
    )
    return Target(cycle=cycle_row, membership=membership, submission=submission)


async def find_submission_target(
    principal: Principal, cycle: str, cds_code: str
) -> Target | UserErrorData:
    """As ``find_target``, and the LEA must have a submission (it has once its sample is drawn)."""
    found = await find_target(principal, cycle, cds_code)
    if isinstance(found, Target) and found.submission is None:
        return user_error(
            ErrorCode.NOT_FOUND,
            f"LEA {cds_code} has no submission in {cycle}: its sample is not drawn.",
            "input",
            "cdsCode",
        )
    return found


async def can_see_lea(principal: Principal, cycle: str, cds_code: str) -> bool:
    """Whether the caller's scope shows this LEA in this cycle (malformed arguments: no)."""
    return isinstance(await find_target(principal, cycle, cds_code), Target)


async def can_see_cycle(principal: Principal, name: str) -> bool:
    if not is_cycle_name(name):
        return False
    return await scope.cycles(principal).filter(name=name).exists()
