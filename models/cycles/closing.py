"""What keeps a cycle from closing (SPEC §3.1): work the close would cut short.

An LEA blocks the close while its extension is still running and it has not submitted, while
the resubmission grace after a rejection is still running, or while its submission waits for
the SELPA's review.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from models.shared.deadlines import end_of_minute, writable_until
from models.shared.enums import ReviewDecision, SubmissionStatus

EXTENSION_OPEN = "extension open"
GRACE_OPEN = "resubmission grace open"
AWAITING_REVIEW = "awaiting review"


@dataclass(frozen=True)
class ClosingFacts:
    cds_code: str
    status: SubmissionStatus
    extension: datetime | None
    decision: ReviewDecision | None
    reviewed_at: datetime | None


def close_blocker(
    facts: ClosingFacts, now: datetime, cycle_due: datetime, grace: int
) -> str | None:
    """Why this LEA keeps the cycle open, or None."""
    if facts.status is SubmissionStatus.SUBMITTED:
        return AWAITING_REVIEW
    if facts.status is SubmissionStatus.APPROVED:
        return None
    if facts.decision is ReviewDecision.REJECT and facts.reviewed_at is not None:
        due = max(cycle_due, facts.extension or cycle_due)
        if now <= writable_until(due, facts.reviewed_at, grace) and now >= end_of_minute(due):
            return GRACE_OPEN
    running = facts.extension is not None and now < end_of_minute(facts.extension)
    if running and facts.extension is not None and facts.extension > cycle_due:
        return EXTENSION_OPEN
    return None
