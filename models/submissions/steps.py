"""The submission state machine (SPEC §3.6): each step, the statuses it leaves and enters.

::

    NOT_STARTED ─save─▶ DRAFT ─submit─▶ SUBMITTED ─approve─▶ APPROVED
                         ▲  ▲               │                    │
              save ──────┘  └──── reopen ───┴────── reopen ──────┘
                    REJECTED ◀── reject ─── SUBMITTED
"""

from __future__ import annotations

from dataclasses import dataclass

from models.access.permits import (
    ADMINISTER_SUBMISSIONS,
    ENTER_COUNTS,
    REVIEW_SUBMISSIONS,
    Permit,
)
from models.shared.enums import SubmissionStatus

S = SubmissionStatus


@dataclass(frozen=True)
class Step:
    action: str
    sources: frozenset[SubmissionStatus]
    target: SubmissionStatus
    permit: Permit
    lea_write: bool = False
    """An LEA/SELPA write: refused after the LEA's due time and for exempt LEAs."""

    def allowed_from(self) -> str:
        return ", ".join(sorted(status.value for status in self.sources))


SAVE = Step(
    "save",
    frozenset({S.NOT_STARTED, S.DRAFT, S.REJECTED}),
    S.DRAFT,
    ENTER_COUNTS,
    lea_write=True,
)
SUBMIT = Step("submit", frozenset({S.DRAFT}), S.SUBMITTED, ENTER_COUNTS, lea_write=True)
APPROVE = Step("approve", frozenset({S.SUBMITTED}), S.APPROVED, REVIEW_SUBMISSIONS)
REJECT = Step("reject", frozenset({S.SUBMITTED}), S.REJECTED, REVIEW_SUBMISSIONS)
REOPEN = Step("reopen", frozenset({S.SUBMITTED, S.APPROVED}), S.DRAFT, ADMINISTER_SUBMISSIONS)
