"""Entities (Tortoise models) and the pure domain rules that govern them.

Tortoise discovers the entities from this package; the rule modules (``sampling``,
``categories``, ``deadlines``, ``formats`` …) import nothing from the database layer.
"""

from models.access import AccessCode, LoginAttempt, Session
from models.audit import AuditEvent, AuditSelection
from models.cycle import Cycle
from models.directory import Lea, LeaCycle, Selpa
from models.outbox import OutboxMessage
from models.report import PublishedReport
from models.report_epoch import ReportEpoch
from models.roster import RosterStudent, SampledStudent
from models.submission import Submission, SubmissionEvent

__all__ = [
    "AccessCode",
    "AuditEvent",
    "AuditSelection",
    "Cycle",
    "Lea",
    "LeaCycle",
    "LoginAttempt",
    "OutboxMessage",
    "PublishedReport",
    "ReportEpoch",
    "RosterStudent",
    "SampledStudent",
    "Selpa",
    "Session",
    "Submission",
    "SubmissionEvent",
]
