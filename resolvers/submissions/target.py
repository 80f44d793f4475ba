"""Find the submission a mutation acts on, always through the scope hooks, then authorize.

A foreign LEA is as absent as a missing one: both answer ``NOT_FOUND``. A caller whose scope
shows the LEA but whose role may not take the action is refused with ``FORBIDDEN``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kernel.errors import ErrorCode, UserErrorData, user_error
from models import Cycle, LeaCycle, Submission
from models.access.permits import Permit
from models.shared.deadlines import effective_due
from models.shared.identifiers import cds_code_problem, cycle_name_problem, field_message
from models.submissions.refusal import SubmissionFacts, rejection_time
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
        return rejection_time(row.review_decision, row.reviewed_at) if row else None

    def facts(self) -> SubmissionFacts:
        """The submission's state as the domain rules judge it (it must exist)."""
        row = self.submission
        assert row is not None
        return SubmissionFacts(
            cycle_name=self.cycle.name,
            cycle_status=self.cycle.status,
            grace_days=self.cycle.resubmission_grace_days,
            cds_code=self.cds_code,
            required=self.membership.required,
            status=row.status,
            version=row.version,
            due_at=self.due_at,
            rejected_at=self.rejected_at,
        )


def argument_errors(cycle: str, cds_code: str) -> list[UserErrorData]:
    problems = (("cycle", cycle_name_problem(cycle)), ("cdsCode", cds_code_problem(cds_code)))
    return [
        user_error(ErrorCode.INVALID_INPUT, field_message(field, problem), "input", field)
        for field, problem in problems
        if problem is not None
    ]


async def find_target(
    principal: Principal, cycle: str, cds_code: str, permit: Permit
) -> Target | UserErrorData:
    """The cycle, the LEA's membership and its submission as this caller may see them, for an
    action under ``permit`` (raises ``FORBIDDEN`` when the caller sees the LEA but may not)."""
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
    scope.authorize(principal, permit, membership)
    submission = (
        await scope.submissions(principal, cycle_row.id).filter(lea_id=membership.lea_id).first()
    )
    return Target(cycle=cycle_row, membership=membership, submission=submission)


async def find_submission_target(
    principal: Principal, cycle: str, cds_code: str, permit: Permit
) -> Target | UserErrorData:
    """As ``find_target``, and the LEA must have a submission (it has once its sample is drawn)."""
    found = await find_target(principal, cycle, cds_code, permit)
    if isinstance(found, Target) and found.submission is None:
        return user_error(
            ErrorCode.NOT_FOUND,
            f"LEA {cds_code} has no submission in {cycle}: its sample is not drawn.",
            "input",
            "cdsCode",
        )
    return found
