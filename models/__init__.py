"""Entities (Tortoise models) and the pure domain rules that govern them.

One package per domain (access, audit, cycles, directory, mail, reports, submissions,
worksheet) holds its entities in ``entities.py`` beside its pure rules; ``shared`` holds the
enumerations, deadlines and identifier rules every domain uses. Tortoise discovers the
entities from this package; the rule modules import nothing from the database layer.
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
