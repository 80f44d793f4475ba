"""Domain enumerations exposed to GraphQL under the names of SPEC §10."""

import strawberry

from kernel.errors import ErrorCode as _ErrorCode
from models.shared import enums

Role = strawberry.enum(enums.Role, name="Role")
CycleStatus = strawberry.enum(enums.CycleStatus, name="CycleStatus")
SubmissionStatus = strawberry.enum(enums.SubmissionStatus, name="SubmissionStatus")
ReviewDecision = strawberry.enum(enums.ReviewDecision, name="ReviewDecision")
Category = strawberry.enum(enums.Category, name="Category")
ErrorCode = strawberry.enum(_ErrorCode, name="ErrorCode")
