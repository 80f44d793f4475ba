"""Context and recipients of the workflow's notices (SPEC §7); never student PII."""

from __future__ import annotations

from typing import Any

from models import Submission
from models.shared.deadlines import to_pacific
from resolvers.submissions.target import Target


def context(target: Target, **extra: Any) -> dict[str, Any]:
    """Keys every workflow template uses, plus ``extra``."""
    membership = target.membership
    selpa = membership.selpa
    return {
        "cycle": target.cycle.name,
        "lea_name": membership.lea.name,
        "cds_code": target.cds_code,
        "selpa_name": selpa.name if selpa else "",
        "selpa_code": selpa.code if selpa else "",
        "due_at": to_pacific(target.due_at),
        **extra,
    }


def counts(row: Submission) -> dict[str, Any]:
    values = (row.count_a or 0, row.count_b or 0, row.count_c or 0)
    return {
        "count_a": values[0],
        "count_b": values[1],
        "count_c": values[2],
        "total": sum(values),
    }


def submitter(row: Submission) -> tuple[str, ...]:
    return (row.submitter_email,) if row.submitter_email else ()


def selpa_contact(target: Target) -> tuple[str, ...]:
    selpa = target.membership.selpa
    return (selpa.contact_email,) if selpa and selpa.contact_email else ()


def lea_contact(target: Target) -> tuple[str, ...]:
    email = target.membership.contact_email
    return (email,) if email else ()
