"""Render a message of one kind from its templates (text and HTML), never with student PII."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from models.shared.deadlines import to_pacific

TEMPLATES = Path(__file__).with_name("templates")


class MailKind(StrEnum):
    SUBMISSION_ACKNOWLEDGED = "submission_acknowledged"
    AWAITING_REVIEW = "awaiting_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    REOPENED = "reopened"
    EXTENSION_GRANTED = "extension_granted"
    AUDIT_SELECTED = "audit_selected"
    AUDIT_OUTCOME = "audit_outcome"
    DEADLINE_REMINDER = "deadline_reminder"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def _pacific(value: Any) -> str:
    return f"{to_pacific(value):%A, %B %-d, %Y at %-I:%M %p %Z}"


STATUS_LABELS = {
    "NOT_STARTED": "not started",
    "DRAFT": "draft saved, not submitted",
    "SUBMITTED": "submitted, awaiting SELPA review",
    "APPROVED": "approved",
    "REJECTED": "rejected by the SELPA, to be corrected and submitted again",
}
_STUDENT_ID = re.compile(r"(?<!\d)\d{10}(?!\d)")


def _status_label(value: Any) -> str:
    key = getattr(value, "value", value)
    return STATUS_LABELS.get(str(key), str(key).replace("_", " ").lower())


def _redact(value: Any) -> str:
    """Free text typed by staff: a 10-digit run (an SSID's shape) never reaches a mail body."""
    return _STUDENT_ID.sub("[number removed]", str(value))


_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)
_env.filters["pacific"] = _pacific
_env.filters["status_label"] = _status_label
_env.filters["redact"] = _redact


def render(kind: MailKind, context: dict[str, Any]) -> Rendered:
    subject = _env.get_template(f"{kind.value}.subject.txt").render(context).strip()
    return Rendered(
        subject=" ".join(subject.split()),
        text=_env.get_template(f"{kind.value}.txt").render(context),
        html=_env.get_template(f"{kind.value}.html").render(context),
    )
