"""Issue an access code for one role and scope; the clear code is returned once, never stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from kernel.errors import ErrorCode, UserErrorData, user_error
from models import AccessCode, Cycle, Lea, LeaCycle, Selpa
from models.shared import identifiers as formats
from models.shared.enums import CycleStatus, Role
from resolvers.access.credentials import hash_access_code, new_access_code, normalize_access_code
from resolvers.shared import audit_log
from resolvers.shared.principal import Principal


class ScopeError(ValueError):
    """The role, cycle and scope given do not name a place a code can belong to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class IssuedCode:
    code: str
    record: AccessCode


async def resolve_scope(
    role: Role, cycle_name: str | None, scope_code: str | None
) -> tuple[Cycle | None, Selpa | None, Lea | None]:
    """The cycle and SELPA or LEA a code of ``role`` would belong to, checked."""
    if role in (Role.CDE_ADMIN, Role.CDE_ANALYST):
        if cycle_name or scope_code:
            raise ScopeError("scope", "CDE codes belong to no cycle and no SELPA or LEA.")
        return None, None, None
    if not cycle_name:
        raise ScopeError("cycle", "SELPA and LEA codes belong to a cycle.")
    cycle = await Cycle.get_or_none(name=cycle_name)
    if cycle is None:
        raise ScopeError("cycle", f"There is no cycle {cycle_name}.")
    if not scope_code:
        raise ScopeError("scope", "SELPA and LEA codes need a SELPA or CDS code.")
    if role is Role.SELPA:
        selpa = await Selpa.get_or_none(code=scope_code)
        if selpa is None or not await LeaCycle.exists(cycle=cycle, selpa=selpa):
            raise ScopeError("scope", "No such SELPA in this cycle.")
        return cycle, selpa, None
    lea = await Lea.get_or_none(cds_code=scope_code)
    if lea is None or not await LeaCycle.exists(cycle=cycle, lea=lea, active=True):
        raise ScopeError("scope", "No such active LEA in this cycle.")
    return cycle, None, lea


async def issue_code(
    secret_key: str,
    role: Role,
    now: datetime,
    *,
    cycle: Cycle | None = None,
    selpa: Selpa | None = None,
    lea: Lea | None = None,
    label: str = "",
    using: BaseDBAsyncClient | None = None,
) -> IssuedCode:
    code = new_access_code()
    normalized = normalize_access_code(code)
    assert normalized is not None
    record = await AccessCode.create(
        code_hash=hash_access_code(secret_key, normalized),
        role=role,
        cycle=cycle,
        selpa=selpa,
        lea=lea,
        label=label,
        created_at=now,
        using_db=using,
    )
    return IssuedCode(code=code, record=record)


@dataclass(frozen=True)
class IssueResult:
    issued: IssuedCode | None
    errors: tuple[UserErrorData, ...] = ()


MAX_LABEL = 200


def _check_format(
    role: Role, cycle_name: str | None, scope_code: str | None
) -> list[UserErrorData]:
    errors: list[UserErrorData] = []
    if cycle_name and (problem := formats.cycle_name_problem(cycle_name)):
        errors.append(
            user_error(
                ErrorCode.INVALID_INPUT, formats.field_message("cycle", problem), "input", "cycle"
            )
        )
    scope_problem = None
    if scope_code and role is Role.SELPA:
        scope_problem = formats.selpa_code_problem(scope_code)
    elif scope_code and role is Role.LEA:
        scope_problem = formats.cds_code_problem(scope_code)
    if scope_problem:
        errors.append(
            user_error(
                ErrorCode.INVALID_INPUT,
                formats.field_message("scope", scope_problem),
                "input",
                "scope",
            )
        )
    return errors


async def issue_access_code(
    principal: Principal,
    secret_key: str,
    now: datetime,
    *,
    role: Role,
    cycle_name: str | None,
    scope_code: str | None,
    label: str = "",
    client_address: str = "",
) -> IssueResult:
    """``issueAccessCode``: one code for a role and scope; the clear code is in the result once."""
    cycle_name = (cycle_name or "").strip() or None
    scope_code = (scope_code or "").strip() or None
    errors = _check_format(role, cycle_name, scope_code)
    if len(label) > MAX_LABEL:
        errors.append(
            user_error(
                ErrorCode.INVALID_INPUT,
                f"label must be at most {MAX_LABEL} characters.",
                "input",
                "label",
            )
        )
    if errors:
        return IssueResult(None, tuple(errors))
    try:
        cycle, selpa, lea = await resolve_scope(role, cycle_name, scope_code)
    except ScopeError as exc:
        missing = cycle_name if exc.field == "cycle" else scope_code
        code = ErrorCode.NOT_FOUND if missing else ErrorCode.INVALID_INPUT
        return IssueResult(None, (user_error(code, str(exc), "input", exc.field),))
    if cycle is not None and cycle.status is CycleStatus.CLOSED:
        return IssueResult(
            None,
            (
                user_error(
                    ErrorCode.INVALID_STATE, f"Cycle {cycle.name} is closed.", "input", "cycle"
                ),
            ),
        )
    async with in_transaction() as tx:
        issued = await issue_code(
            secret_key, role, now, cycle=cycle, selpa=selpa, lea=lea, label=label, using=tx
        )
        await audit_log.record(
            "access_code.issued",
            now,
            principal=principal,
            cycle_id=cycle.id if cycle else None,
            target=f"{role.value}:{scope_code or ''}",
            client_address=client_address,
            detail={"access_code_id": issued.record.id},
            using=tx,
        )
    return IssueResult(issued)
