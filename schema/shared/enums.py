"""Domain enumerations exposed to GraphQL under the names of SPEC §10."""

import strawberry

from kernel.errors import ErrorCode as _ErrorCode
from models.shared import enums

Role = strawberry.enum(
    enums.Role,
    name="Role",
    description="The role an access code signs in as: CDE administrator, CDE analyst, SELPA "
    "or LEA.",
)
CycleStatus = strawberry.enum(
    enums.CycleStatus,
    name="CycleStatus",
    description="A cycle's stage: DRAFT while CDE sets it up, OPEN while LEAs and SELPAs "
    "work, CLOSED (read-only) afterwards.",
)
SubmissionStatus = strawberry.enum(
    enums.SubmissionStatus,
    name="SubmissionStatus",
    description="Where an LEA's submission stands: NOT_STARTED, DRAFT (counts saved), "
    "SUBMITTED, then APPROVED or REJECTED by its SELPA.",
)
ReviewDecision = strawberry.enum(
    enums.ReviewDecision,
    name="ReviewDecision",
    description="A SELPA's review of a submitted submission: approve it, or reject it with a "
    "reason.",
)
Category = strawberry.enum(
    enums.Category,
    name="Category",
    description="A student's implementation category by provided / prescribed minutes: A at "
    "95 % or more, B from 90 % to under 95 %, C under 90 %.",
)
ErrorCode = strawberry.enum(
    _ErrorCode,
    name="ErrorCode",
    description="The machine-readable reason a mutation was refused, in UserError.code.",
)
