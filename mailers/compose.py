"""Render a message of one kind from its templates (text and HTML), never with student PII."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from models.deadlines import to_pacific

TEMPLATES = Path(__file__).with_name("templates")


class MailKind(str, Enum):
    SUBMISSION_ACKNOWLEDGED = "submission_acknowledged"
    AWAITING_REVIEW = "awaiting_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    REOPENED = "reopened"
    EXTENSION_GRANTED = "extension_granted"
    AUDIT_SELECTED = "audit_selected"
    DEADLINE_REMINDER = "deadline_reminder"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def _pacific(value: Any) -> str:
    return f"{to_pacific(value):%A, %B %-d, %Y at %-I:%M %p %Z}"


_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)
_env.filters["pacific"] = _pacific


def render(kind: MailKind, context: dict[str, Any]) -> Rendered:
    subject = _env.get_template(f"{kind.value}.subject.txt").render(context).strip()
    return Rendered(
        subject=" ".join(subject.split()),
        text=_env.get_template(f"{kind.value}.txt").render(context),
        html=_env.get_template(f"{kind.value}.html").render(context),
    )
