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
