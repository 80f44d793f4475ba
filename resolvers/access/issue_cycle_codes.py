"""Access codes in bulk: one per SELPA and per required active LEA of a cycle (SPEC §5).

Scopes that already hold a live code are skipped unless ``reissue`` is set, which revokes the
old codes (ending their sessions) and issues new ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models import AccessCode, Cycle, LeaCycle, Selpa, Session
from models.shared.enums import CycleStatus, Role
from resolvers.access.credentials import hash_access_code, new_access_code, normalize_access_code
from resolvers.shared import audit_log, bulk


class IssueRefused(RuntimeError):
    pass


@dataclass(frozen=True)
class IssuedRow:
    role: Role
    scope_code: str
    name: str
    access_code: str


async def issue_cycle_codes(
    secret_key: str,
    cycle: Cycle,
    now: datetime,
    *,
    reissue: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[IssuedRow], int]:
    """The new codes (clear, to hand out once) and how many scopes were skipped."""
    if cycle.status is CycleStatus.CLOSED:
        raise IssueRefused(f"cycle {cycle.name} is closed")
    members = await LeaCycle.filter(cycle=cycle, active=True).values_list(
        "lea_id", "lea__cds_code", "lea__name", "selpa_id", "required"
    )
    selpa_ids = {selpa_id for _, _, _, selpa_id, _ in members if selpa_id is not None}
    selpas = (
        await Selpa.filter(id__in=list(selpa_ids))
        .order_by("code")
        .values_list("id", "code", "name")
    )
    scopes: list[tuple[Role, int, str, str]] = [
        (Role.SELPA, pk, code, name) for pk, code, name in selpas
    ]
    scopes += sorted(
        ((Role.LEA, lea_id, cds, name) for lea_id, cds, name, _, required in members if required),
        key=lambda s: s[2],
    )
    live = AccessCode.filter(cycle=cycle, revoked_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )
    held: dict[tuple[Role, int], list[int]] = {}
    for pk, role, selpa_id, lea_id in await live.values_list("id", "role", "selpa_id", "lea_id"):
        held.setdefault((Role(role), selpa_id or lea_id), []).append(pk)
    issued: list[IssuedRow] = []
    records: list[tuple[object, ...]] = []
    skipped = 0
    replaced: list[int] = []
    for done, (role, pk, code, name) in enumerate(scopes):
        if progress is not None and done % 100 == 0:
            progress(done, len(scopes))
        old = held.get((role, pk), [])
        if old and not reissue:
            skipped += 1
            continue
        replaced.extend(old)
        clear = new_access_code()
        normalized = normalize_access_code(clear)
        assert normalized is not None
        records.append(
            (
                hash_access_code(secret_key, normalized),
                role.value,
                cycle.id,
                pk if role is Role.SELPA else None,
                pk if role is Role.LEA else None,
                f"{role.value} {code}",
                now,
            )
        )
        issued.append(IssuedRow(role, code, name, clear))
    async with in_transaction() as tx:
        if replaced:
            await AccessCode.filter(id__in=replaced).using_db(tx).update(revoked_at=now)
            await (
                Session.filter(access_code_id__in=replaced, ended_at__isnull=True)
                .using_db(tx)
                .update(ended_at=now)
            )
        await bulk.insert_rows(
            tx,
            "access_code",
            ("code_hash", "role", "cycle_id", "selpa_id", "lea_id", "label", "created_at"),
            records,
        )
        await audit_log.record(
            "access_codes.issued",
            now,
            cycle_id=cycle.id,
            detail={"issued": len(issued), "skipped": skipped, "revoked": len(replaced)},
            using=tx,
        )
    if progress is not None:
        progress(len(scopes), len(scopes))
    return issued, skipped
