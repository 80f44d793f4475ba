"""``recordAuditStep``: one step of a drawn LEA's audit (CDE_ADMIN)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.shared.enums import AuditStep as StepEnum
from resolvers.audit.record_audit_step import RecordAuditStep, record_audit_step
from schema.audit.findings import AuditFinding, AuditStep
from schema.shared import descriptions as doc
from schema.shared.context import Info
from schema.shared.permissions import CdeAdminOnly
from schema.shared.user_errors import UserError, user_errors


@strawberry.input(description="One step of the audit of a drawn LEA.")
class RecordAuditStepInput:
    cycle: str = strawberry.field(description=doc.CYCLE)
    cds_code: str = strawberry.field(description=doc.CDS_CODE)
    step: AuditStep = strawberry.field(description="The step to record.")  # type: ignore[valid-type]
    count_a: int | None = strawberry.field(
        default=None, description="RECORD_DISCREPANCY: verified students in category A."
    )
    count_b: int | None = strawberry.field(
        default=None, description="RECORD_DISCREPANCY: verified students in category B."
    )
    count_c: int | None = strawberry.field(
        default=None, description="RECORD_DISCREPANCY: verified students in category C."
    )
    note: str | None = strawberry.field(
        default=None,
        description="CDE's note, 1 to 2,000 characters; required for RECORD_DISCREPANCY.",
    )


@strawberry.type(description="The audit of the LEA as it now stands, or why the step was refused.")
class AuditFindingPayload:
    finding: AuditFinding | None = strawberry.field(
        description="The audit as it now stands; null when there is no such drawn LEA."
    )
    user_errors: list[UserError] = strawberry.field(description=doc.USER_ERRORS)


async def resolve_record_audit_step(
    info: Info,
    input: Annotated[
        RecordAuditStepInput, strawberry.argument(description="The LEA and the step.")
    ],
) -> AuditFindingPayload:
    counts = (input.count_a, input.count_b, input.count_c)
    verified = (
        None if None in counts else (int(counts[0] or 0), int(counts[1] or 0), int(counts[2] or 0))
    )
    command = RecordAuditStep(
        input.cycle, input.cds_code, StepEnum(input.step), verified, input.note
    )
    principal = info.context.require_principal()
    outcome = await record_audit_step(principal, command, info.context.clock())
    row = outcome.selection
    if row is not None:
        await row.fetch_related("lea")
    return AuditFindingPayload(
        finding=AuditFinding(row=row) if row else None, user_errors=user_errors(outcome.errors)
    )


record_audit_step_field = strawberry.mutation(
    resolve_record_audit_step,
    name="recordAuditStep",
    permission_classes=[CdeAdminOnly],
    description="Record a step of a drawn LEA's audit (documents requested, reviewed, outcome); "
    "an outcome is mailed to the LEA and its SELPA: CDE_ADMIN.",
)
