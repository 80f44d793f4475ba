"""Issue an access code for one role and scope; the clear code is returned once, never stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient

from models import AccessCode, Cycle, Lea, LeaCycle, Selpa
from models.enums import Role
from resolvers.credentials import hash_access_code, new_access_code, normalize_access_code


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
