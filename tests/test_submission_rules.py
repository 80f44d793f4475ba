"""The submission state machine and its refusal order as pure rules (SPEC §3.6): no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import cast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kernel.errors import ErrorCode, Forbidden
from models import LeaCycle
from models.access.permits import ADMINISTER_CYCLES, ENTER_COUNTS, REVIEW_SUBMISSIONS
from models.shared.enums import CycleStatus, ReviewDecision, Role, SubmissionStatus
from models.submissions.refusal import SubmissionFacts, refusal, rejection_time
from models.submissions.steps import APPROVE, REJECT, REOPEN, SAVE, SUBMIT, Step
from resolvers.shared.principal import Principal
from resolvers.shared.scope import authorize

S = SubmissionStatus
DUE = datetime(2025, 7, 1, 6, 59, tzinfo=UTC)
BEFORE = DUE - timedelta(days=1)
AFTER = DUE + timedelta(days=1)
STEPS = (SAVE, SUBMIT, APPROVE, REJECT, REOPEN)

FACTS = SubmissionFacts(
    cycle_name="2024-25",
    cycle_status=CycleStatus.OPEN,
    grace_days=7,
    cds_code="01611920000000",
    required=True,
    status=S.DRAFT,
    version=3,
    due_at=DUE,
    rejected_at=None,
)


def code(step: Step, facts: SubmissionFacts, now: datetime, expected: int | None) -> str | None:
    found = refusal(step, facts, now, expected)
    return found.code.value if found else None


def test_the_step_table_is_the_state_machine_of_the_guide() -> None:
    # given the steps, then each leaves exactly the statuses SPEC §3.6 names
    assert {(step.action, frozenset(step.sources), step.target) for step in STEPS} == {
        ("save", frozenset({S.NOT_STARTED, S.DRAFT, S.REJECTED}), S.DRAFT),
        ("submit", frozenset({S.DRAFT}), S.SUBMITTED),
        ("approve", frozenset({S.SUBMITTED}), S.APPROVED),
        ("reject", frozenset({S.SUBMITTED}), S.REJECTED),
        ("reopen", frozenset({S.SUBMITTED, S.APPROVED}), S.DRAFT),
    }
    # and only the LEA's own writes are bound to its due time
    assert [step.action for step in STEPS if step.lea_write] == ["save", "submit"]


def test_a_step_goes_ahead_only_from_its_sources() -> None:
    for step in STEPS:
        for status in S:
            # given a submission in that status, when the step is judged
            found = refusal(step, replace(FACTS, status=status), BEFORE, None)
            # then it is refused exactly when the status is not a source
            if status in step.sources:
                assert found is None
            else:
                assert found is not None and found.code is ErrorCode.INVALID_STATE
                assert found.message == (
                    f"A {status.value} submission does not allow {step.action} "
                    f"(only {step.allowed_from()} does)."
                )


def test_the_refusal_order_is_cycle_deadline_version_exempt_state() -> None:
    # given every reason at once, then each is reported only when those before it are gone
    worst = replace(
        FACTS, cycle_status=CycleStatus.CLOSED, required=False, status=S.APPROVED, version=5
    )
    assert code(SAVE, worst, AFTER, 4) == "CYCLE_NOT_OPEN"
    opened = replace(worst, cycle_status=CycleStatus.OPEN)
    assert code(SAVE, opened, AFTER, 4) == "DEADLINE_PASSED"
    assert code(SAVE, opened, BEFORE, 4) == "VERSION_CONFLICT"
    exempt = code(SAVE, opened, BEFORE, 5)
    assert exempt == "INVALID_STATE"
    assert "exempt" in (refusal(SAVE, opened, BEFORE, 5) or pytest.fail()).message
    assert code(SAVE, replace(opened, required=True), BEFORE, 5) == "INVALID_STATE"
    assert code(SAVE, replace(opened, required=True, status=S.DRAFT), BEFORE, 5) is None


def test_reviews_and_reopening_are_not_bound_to_the_lea_due_time() -> None:
    # given a submitted submission of an exempt-looking LEA after its due time
    submitted = replace(FACTS, status=S.SUBMITTED, required=False)
    # then the SELPA and CDE steps still go ahead
    assert code(APPROVE, submitted, AFTER, None) is None
    assert code(REJECT, submitted, AFTER, None) is None
    assert code(REOPEN, submitted, AFTER, None) is None


def test_after_a_rejection_the_lea_may_write_within_the_grace() -> None:
    # given a rejection one day after the due time, with seven days of grace
    rejected = replace(FACTS, status=S.REJECTED, rejected_at=AFTER)
    # then saving is allowed through the grace and refused after it
    assert code(SAVE, rejected, AFTER + timedelta(days=6), None) is None
    assert code(SAVE, rejected, AFTER + timedelta(days=7, seconds=1), None) == "DEADLINE_PASSED"


def test_only_a_standing_rejection_has_a_rejection_time() -> None:
    assert rejection_time(ReviewDecision.REJECT, AFTER) == AFTER
    assert rejection_time(ReviewDecision.APPROVE, AFTER) is None
    assert rejection_time(None, None) is None


@given(
    status=st.sampled_from(list(S)),
    cycle=st.sampled_from(list(CycleStatus)),
    required=st.booleans(),
    version=st.integers(1, 5),
    expected=st.one_of(st.none(), st.integers(1, 5)),
    late=st.booleans(),
    step=st.sampled_from(STEPS),
)
def test_a_step_that_goes_ahead_has_no_reason_against_it(
    status: S,
    cycle: CycleStatus,
    required: bool,
    version: int,
    expected: int | None,
    late: bool,
    step: Step,
) -> None:
    # given any facts, when the step is allowed, then every condition for it holds
    facts = replace(FACTS, status=status, cycle_status=cycle, required=required, version=version)
    now = AFTER if late else BEFORE
    if refusal(step, facts, now, expected) is None:
        assert cycle is CycleStatus.OPEN and status in step.sources
        assert expected in (None, version)
        assert not step.lea_write or (required and not late)


def _principal(role: Role, selpa_id: int | None = None, lea_id: int | None = None) -> Principal:
    return Principal(role=role, access_code_id=1, cycle_id=1, selpa_id=selpa_id, lea_id=lea_id)


def test_authorize_holds_the_role_and_the_scope() -> None:
    # given an LEA's membership in cycle 1 under SELPA 7
    membership = cast(LeaCycle, SimpleNamespace(cycle_id=1, lea_id=42, selpa_id=7))
    # then its LEA and SELPA may enter counts, and only the SELPA may review
    authorize(_principal(Role.LEA, lea_id=42), ENTER_COUNTS, membership)
    authorize(_principal(Role.SELPA, selpa_id=7), REVIEW_SUBMISSIONS, membership)
    with pytest.raises(Forbidden) as refused:
        authorize(_principal(Role.LEA, lea_id=42), REVIEW_SUBMISSIONS, membership)
    assert refused.value.extensions == {"code": "FORBIDDEN"}
    assert refused.value.message == REVIEW_SUBMISSIONS.refusal
    # and a caller of the right role but another scope is refused too
    with pytest.raises(Forbidden):
        authorize(_principal(Role.LEA, lea_id=43), ENTER_COUNTS, membership)
    with pytest.raises(Forbidden):
        authorize(_principal(Role.SELPA, selpa_id=8), ENTER_COUNTS, membership)
    # and a cycle is administered by CDE administrators alone
    authorize(_principal(Role.CDE_ADMIN), ADMINISTER_CYCLES)
    with pytest.raises(Forbidden):
        authorize(_principal(Role.CDE_ANALYST), ADMINISTER_CYCLES)
