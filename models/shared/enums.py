"""Enumerations shared by the entities, the rules and the API."""

from enum import Enum, StrEnum


class Role(str, Enum):
    CDE_ADMIN = "CDE_ADMIN"
    CDE_ANALYST = "CDE_ANALYST"
    SELPA = "SELPA"
    LEA = "LEA"


class CycleStatus(str, Enum):
    DRAFT = "DRAFT"
    OPEN = "OPEN"
    CLOSED = "CLOSED"


class SubmissionStatus(str, Enum):
    NOT_STARTED = "NOT_STARTED"
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


class ReviewDecision(str, Enum):
    APPROVE = "APPROVE"
    REJECT = "REJECT"


class Category(str, Enum):
    A = "A"
    B = "B"
    C = "C"


class OutboxStatus(str, Enum):
    PENDING = "PENDING"
    SENT = "SENT"
    FAILED = "FAILED"


class ReportGrouping(StrEnum):
    STATE = "STATE"
    COUNTY = "COUNTY"
    SELPA = "SELPA"
    LEA = "LEA"


class AuditOutcome(StrEnum):
    """What the audit of one drawn LEA found (SPEC §3.7)."""

    CONFIRMED = "CONFIRMED"
    DISCREPANCY = "DISCREPANCY"
    CORRECTED = "CORRECTED"


class AuditStep(StrEnum):
    """The steps CDE records for one drawn LEA, in order."""

    REQUEST_DOCUMENTS = "REQUEST_DOCUMENTS"
    MARK_REVIEWED = "MARK_REVIEWED"
    CONFIRM = "CONFIRM"
    RECORD_DISCREPANCY = "RECORD_DISCREPANCY"
    MARK_CORRECTED = "MARK_CORRECTED"
