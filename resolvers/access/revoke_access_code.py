"""``revokeAccessCode``: a code stops working at once, and every session it opened ends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from kernel.errors import ErrorCode, UserErrorData, user_error
from models import AccessCode, Session
from models.shared.identifiers import is_ascii_digits
from resolvers.shared import audit_log
from resolvers.shared.principal import Principal


@dataclass(frozen=True)
class RevokeResult:
    code: AccessCode | None
    sessions_ended: int = 0
    errors: tuple[UserErrorData, ...] = ()


def parse_id(raw: str) -> int | None:
    text = raw.strip()
    if not is_ascii_digits(text) or len(text) > 18:
        return None
    return int(text)


async def revoke_access_code(
    principal: Principal, raw_id: str, now: datetime, *, client_address: str = ""
) -> RevokeResult:
    code_id = parse_id(raw_id)
    if code_id is None:
        return RevokeResult(
            None,
            errors=(
                user_error(ErrorCode.INVALID_INPUT, "id is not an access code id.", "input", "id"),
            ),
        )
    async with in_transaction() as tx:
        row = (
            await AccessCode.filter(id=code_id)
            .using_db(tx)
            .select_related("cycle", "selpa", "lea")
            .first()
        )
        if row is None:
            return RevokeResult(
                None,
                errors=(
                    user_error(ErrorCode.NOT_FOUND, "There is no such access code.", "input", "id"),
                ),
            )
        revoked = (
            await AccessCode.filter(id=code_id, revoked_at__isnull=True)
            .using_db(tx)
            .update(revoked_at=now)
        )
        if not revoked:
            return RevokeResult(
                row,
                errors=(
                    user_error(
                        ErrorCode.ALREADY_DONE, "The access code is already revoked.", "input", "id"
                    ),
                ),
            )
        ended = (
            await Session.filter(access_code_id=code_id, ended_at__isnull=True)
            .using_db(tx)
            .update(ended_at=now)
        )
        await audit_log.record(
            "access_code.revoked",
            now,
            principal=principal,
            cycle_id=row.cycle_id,
            target=str(code_id),
            client_address=client_address,
            detail={"sessions_ended": ended},
            using=tx,
        )
        row.revoked_at = now
    return RevokeResult(row, ended)
