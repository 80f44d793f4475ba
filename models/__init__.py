"""Entities (Tortoise models) and the pure domain rules that govern them.

Tortoise discovers the entities from this package; the rule modules (``sampling``,
``categories``, ``deadlines``, ``formats`` …) import nothing from the database layer.
"""

from models.access.entities import AccessCode, LoginAttempt, Session
from models.audit.entities import AuditEvent, AuditSelection
from models.cycles.entities import Cycle
from models.directory.entities import Lea, LeaCycle, Selpa
from models.directory.roster import RosterStudent, SampledStudent
from models.mail.entities import OutboxMessage
from models.reports.entities import PublishedReport
from models.reports.epoch import ReportEpoch
from models.submissions.entities import Submission, SubmissionEvent

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
