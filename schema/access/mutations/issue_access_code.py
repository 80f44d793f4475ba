"""``issueAccessCode``: CDE administrators issue one code; its value is shown once."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.shared.enums import Role
from resolvers.access.issue_access_code import issue_access_code
from schema.access.types import AccessCodeInfo
from schema.shared import descriptions as doc
from schema.shared.context import Info
from schema.shared.permissions import CdeAdminOnly
from schema.shared.user_errors import UserError, user_errors


@strawberry.input(
    description="The code to issue: its role and, for SELPA and LEA codes, its cycle and scope."
)
class IssueAccessCodeInput:
    role: Role = strawberry.field(description="The role the code will sign in as.")
    cycle: str | None = strawberry.field(default=None, description="Required for SELPA and LEA.")
    scope: str | None = strawberry.field(
        default=None, description="SELPA code (SELPA) or CDS code (LEA)."
    )
    label: str = strawberry.field(
        default="", description="A free-text note to tell codes apart, at most 200 characters."
    )


@strawberry.type(description="The issued access code, or why none was issued.")
class IssueAccessCodePayload:
    access_code: str | None = strawberry.field(
        description="The code itself: shown here once and never again."
    )
    code: AccessCodeInfo | None = strawberry.field(
        description="The issued code's record, without its value; null when refused."
    )
    user_errors: list[UserError] = strawberry.field(description=doc.USER_ERRORS)


async def resolve_issue_access_code(
    info: Info,
    input: Annotated[
        IssueAccessCodeInput,
        strawberry.argument(description="The role, cycle, scope and label of the new code."),
    ],
) -> IssueAccessCodePayload:
    principal = info.context.require_principal()
    result = await issue_access_code(
        principal,
        info.context.settings.secret_key,
        info.context.clock(),
        role=input.role,
        cycle_name=input.cycle,
        scope_code=input.scope,
        label=input.label,
        client_address=info.context.client_address,
    )
    issued = result.issued
    if issued is not None:
        await issued.record.fetch_related("cycle", "selpa", "lea")
    return IssueAccessCodePayload(
        access_code=issued.code if issued else None,
        code=AccessCodeInfo(row=issued.record) if issued else None,
        user_errors=user_errors(result.errors),
    )


issue_access_code_field = strawberry.mutation(
    resolve_issue_access_code,
    name="issueAccessCode",
    permission_classes=[CdeAdminOnly],
    description="Issue an access code for one role and scope; its value is shown once: CDE_ADMIN.",
)
