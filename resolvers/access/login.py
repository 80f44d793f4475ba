"""Sign in with an access code: throttled per client address, always audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from kernel.errors import ErrorCode, RateLimited, UserErrorData, user_error
from models import AccessCode, LoginAttempt, Session
from models.access.client_addresses import throttle_key
from resolvers.access.authenticate import code_is_live, principal_for
from resolvers.access.credentials import (
    hash_access_code,
    hash_token,
    new_token,
    normalize_access_code,
)
from resolvers.shared import audit_log
from resolvers.shared.principal import Principal


@dataclass(frozen=True)
class LoginPolicy:
    secret_key: str
    lifetime_minutes: int
    failure_limit: int
    failure_window_minutes: int


@dataclass(frozen=True)
class LoginResult:
    token: str | None = None
    expires_at: datetime | None = None
    principal: Principal | None = None
    errors: tuple[UserErrorData, ...] = ()


async def _register_attempt(client_address: str, now: datetime, policy: LoginPolicy) -> int:
    """Record the attempt, counted as a failure until it succeeds, and return its row id;
    raise ``RateLimited`` when the address already has ``failure_limit`` failures in the
    window. Failures count per ``throttle_key`` (an IPv4 address, an IPv6 /64). Attempts of
    one key are serialised (a row lock on PostgreSQL), so concurrent requests cannot all slip
    under the limit; a refused attempt counts too, so a client that keeps trying stays
    refused."""
    window = timedelta(minutes=policy.failure_window_minutes)
    key = throttle_key(client_address)
    async with in_transaction() as tx:
        if tx.capabilities.dialect == "postgres":
            await tx.execute_query("SELECT pg_advisory_xact_lock(hashtext($1))", [key])
        failures = LoginAttempt.filter(
            client_address=key, success=False, at__gt=now - window
        ).using_db(tx)
        earlier = await failures.count()
        attempt = await LoginAttempt.create(client_address=key, at=now, success=False, using_db=tx)
        if earlier < policy.failure_limit:
            return attempt.id
        await audit_log.record("login.throttled", now, client_address=client_address, using=tx)
        oldest = await failures.order_by("-at").offset(policy.failure_limit - 1).first()
    reopens = (oldest.at if oldest else now) + window
    raise RateLimited(max(1, int((reopens - now).total_seconds()) + 1))


async def login(
    access_code: str, client_address: str, now: datetime, policy: LoginPolicy
) -> LoginResult:
    attempt_id = await _register_attempt(client_address, now, policy)
    normalized = normalize_access_code(access_code)
    code = None
    if normalized is not None:
        code = (
            await AccessCode.filter(code_hash=hash_access_code(policy.secret_key, normalized))
            .select_related("cycle", "selpa", "lea")
            .first()
        )
    if code is None or not code_is_live(code, now):
        await audit_log.record("login.failure", now, client_address=client_address)
        if normalized is None:
            return LoginResult(
                errors=(
                    user_error(
                        ErrorCode.INVALID_INPUT,
                        "accessCode must be 16 letters and digits (dashes optional).",
                        "accessCode",
                    ),
                )
            )
        return LoginResult(
            errors=(
                user_error(
                    ErrorCode.INVALID_CREDENTIALS,
                    "This access code is not valid now.",
                    "accessCode",
                ),
            )
        )
    token = new_token()
    expires_at = now + timedelta(minutes=policy.lifetime_minutes)
    async with in_transaction():
        session = await Session.create(
            token_hash=hash_token(policy.secret_key, token),
            access_code=code,
            created_at=now,
            expires_at=expires_at,
            last_used_at=now,
        )
        await LoginAttempt.filter(id=attempt_id).update(success=True)
        principal = principal_for(code, session)
        await audit_log.record(
            "login.success",
            now,
            principal=principal,
            cycle_id=principal.cycle_id,
            client_address=client_address,
        )
    return LoginResult(token=token, expires_at=expires_at, principal=principal)
