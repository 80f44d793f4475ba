"""The sandbox: a synthetic OPEN cycle 2024-25 and a CLOSED 2023-24 with approved history.

Seeding is idempotent: a second run finds everything in place and changes nothing. Demo
access codes are derived from the server secret, so a re-run prints the same codes.
"""

from __future__ import annotations

import hashlib
import hmac
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from tortoise.transactions import in_transaction

from iepimp import synthetic
from kernel.clock import system_clock
from models import (
    AccessCode,
    Cycle,
    Lea,
    LeaCycle,
    RosterStudent,
    Selpa,
    Submission,
    SubmissionEvent,
)
from models.cycles.bands import NO_SWD_REASON
from models.shared.deadlines import pacific_minute
from models.shared.enums import CycleStatus, Role, SubmissionStatus
from resolvers.access.credentials import CODE_ALPHABET, CODE_LENGTH, hash_access_code
from resolvers.cycles.create_cycle import DEFAULT_CERTIFICATION, CycleSpec, create_cycle
from resolvers.cycles.draw_sample import draw_cycle_samples


@dataclass(frozen=True)
class DemoLea:
    cds_code: str
    name: str
    kind: str
    selpa: str
    swd: int
    contact: str


SELPAS = (
    ("1950", "Sierra Vista Regional SELPA", "Morgan Ashgrove", "selpa1950@example.org"),
    ("3410", "Delta Lakes SELPA", "Riley Birchwell", "selpa3410@example.org"),
    ("3720", "Coastal Ranges SELPA", "Jamie Calloway", "selpa3720@example.org"),
)

LEAS = (
    DemoLea("19647330000000", "Mesa Verde Unified", "district", "1950", 1240, "Dana Everhart"),
    DemoLea("19647410000000", "Canyon Ridge Elementary", "district", "1950", 260, "Alex Fairbrook"),
    DemoLea("19101990123456", "Summit Charter Academy", "charter", "1950", 45, "Sam Glenholt"),
    DemoLea(
        "19647580000000", "Juniper Hills School District", "district", "1950", 0, "Pat Hartwick"
    ),
    DemoLea("34673140000000", "Riverbend Unified", "district", "3410", 5200, "Chris Ironvale"),
    DemoLea("34673300000000", "Oak Delta Elementary", "district", "3410", 150, "Kim Jessup"),
    DemoLea(
        "34101080000000",
        "Sacramento Valley County Office",
        "county office",
        "3410",
        98,
        "Lee Kingsley",
    ),
    DemoLea("34765050000000", "Harbor Lights Charter", "charter", "3410", 18, "Robin Larkfield"),
    DemoLea("37683380000000", "Coastline Unified", "district", "3720", 2100, "Terry Merriweather"),
    DemoLea("37683460000000", "Palm Mesa Elementary", "district", "3720", 199, "Jo Northcote"),
    DemoLea("37680230000000", "Seabreeze Union High", "district", "3720", 101, "Drew Oakhurst"),
    DemoLea("37103710000000", "Pacific Trails Charter", "charter", "3720", 21, "Kit Pennington"),
)
EXEMPT_CDS = "19647580000000"


def demo_code(secret_key: str, scope: str) -> str:
    """A stable, secret-derived demo access code for ``scope``."""
    digest = hmac.new(secret_key.encode(), f"demo-code:{scope}".encode(), hashlib.sha256).digest()
    symbols = "".join(CODE_ALPHABET[b % len(CODE_ALPHABET)] for b in digest[:CODE_LENGTH])
    return "-".join(symbols[i : i + 4] for i in range(0, CODE_LENGTH, 4))


async def _directory() -> tuple[dict[str, Selpa], dict[str, Lea]]:
    selpas = {}
    for code, name, contact, email in SELPAS:
        selpas[code], _ = await Selpa.get_or_create(
            code=code, defaults={"name": name, "contact_name": contact, "contact_email": email}
        )
    leas = {}
    for spec in LEAS:
        leas[spec.cds_code], _ = await Lea.get_or_create(
            cds_code=spec.cds_code, defaults={"name": spec.name, "kind": spec.kind}
        )
    return selpas, leas


async def _cycle(
    name: str, start_year: int, due_at: datetime, selpas: dict[str, Selpa], leas: dict[str, Lea]
) -> Cycle:
    cycle = await create_cycle(
        CycleSpec(
            name=name,
            window_start=date(start_year + 1, 3, 3),
            window_end=date(start_year + 1, 4, 30),
            due_at=due_at,
            certification_text=DEFAULT_CERTIFICATION,
            sampling_seed=hashlib.sha256(f"iepimp demo {name}".encode()).hexdigest(),
        )
    )
    rng = random.Random(f"demo-roster-{name}")
    taken: set[str] = set()
    for spec in LEAS:
        lea = leas[spec.cds_code]
        await LeaCycle.create(
            cycle=cycle,
            lea=lea,
            selpa=selpas[spec.selpa],
            required=spec.swd > 0,
            exempt_reason=None if spec.swd else NO_SWD_REASON,
            contact_name=spec.contact,
            contact_email=f"sped.director+{spec.cds_code}@example.org",
        )
        await RosterStudent.bulk_create(
            [
                RosterStudent(cycle=cycle, lea=lea, **synthetic.student(rng, taken, start_year))
                for _ in range(spec.swd)
            ],
            batch_size=1000,
        )
    await draw_cycle_samples(cycle, due_at - timedelta(days=120))
    return cycle


async def _approve_history(cycle: Cycle) -> None:
    """Give every required LEA of a past cycle a submitted and approved answer."""
    reviewed = cycle.due_at - timedelta(days=3)
    members = await LeaCycle.filter(cycle=cycle, required=True).select_related("lea", "selpa")
    for member in members:
        n = member.sample_size or 0
        a = n * 85 // 100
        b = (n - a) // 2
        c = n - a - b
        submission = await Submission.get(cycle=cycle, lea_id=member.lea.id)
        submitted = reviewed - timedelta(days=4)
        submission.status = SubmissionStatus.APPROVED
        submission.version = 3
        submission.count_a, submission.count_b, submission.count_c = a, b, c
        submission.submitter_name = member.contact_name
        submission.submitter_title = "Director of Special Education"
        submission.submitter_email = member.contact_email
        submission.submitter_phone = "916-555-0100"
        submission.certification_text = cycle.certification_text
        submission.certified_at = submitted
        submission.submitted_at = submitted
        submission.first_submitted_at = submitted
        submission.review_decision = "APPROVE"  # type: ignore[assignment]
        submission.reviewer_role = Role.SELPA.value
        submission.reviewer_scope = member.selpa.code if member.selpa else ""
        submission.reviewed_at = reviewed
        await submission.save()
        steps = [
            ("save", SubmissionStatus.NOT_STARTED, SubmissionStatus.DRAFT, submitted, None),
            ("submit", SubmissionStatus.DRAFT, SubmissionStatus.SUBMITTED, submitted, None),
            ("approve", SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED, reviewed, None),
        ]
        for version, (action, before, after, at, reason) in enumerate(steps, start=1):
            selpa_code = member.selpa.code if member.selpa else ""
            scope = selpa_code if action == "approve" else member.lea.cds_code
            await SubmissionEvent.create(
                submission=submission,
                at=at,
                actor_role=Role.SELPA.value if action == "approve" else Role.LEA.value,
                actor_scope=scope,
                actor_name=member.contact_name if action != "approve" else None,
                action=action,
                from_status=before,
                to_status=after,
                version=version,
                count_a=a,
                count_b=b,
                count_c=c,
                reason=reason,
            )


async def _ensure_code(secret_key: str, role: Role, scope: str, **where: Any) -> str:
    code = demo_code(secret_key, f"{role.value}:{scope}")
    normalized = code.replace("-", "")
    code_hash = hash_access_code(secret_key, normalized)
    if not await AccessCode.exists(code_hash=code_hash):
        await AccessCode.create(
            code_hash=code_hash,
            role=role,
            label=f"demo {scope}",
            created_at=system_clock(),
            **where,
        )
    return code


async def demo_codes(secret_key: str) -> dict[str, Any]:
    """The demo's access codes: CDE roles, each SELPA and each required LEA of 2024-25."""
    cycle = await Cycle.get(name="2024-25")
    codes: dict[str, Any] = {
        "CDE_ADMIN": await _ensure_code(secret_key, Role.CDE_ADMIN, "cde"),
        "CDE_ANALYST": await _ensure_code(secret_key, Role.CDE_ANALYST, "cde"),
        "SELPA": {},
        "LEA": {},
    }
    for selpa in await Selpa.filter(code__in=[s[0] for s in SELPAS]).order_by("code"):
        codes["SELPA"][selpa.code] = await _ensure_code(
            secret_key, Role.SELPA, selpa.code, cycle=cycle, selpa=selpa
        )
    members = await LeaCycle.filter(cycle=cycle, required=True, active=True).select_related("lea")
    for member in sorted(members, key=lambda m: m.lea.cds_code):
        codes["LEA"][member.lea.cds_code] = await _ensure_code(
            secret_key, Role.LEA, member.lea.cds_code, cycle=cycle, lea=member.lea
        )
    return codes


async def seed_demo(secret_key: str, now: datetime) -> dict[str, Any]:
    """Seed the sandbox once; return its access codes."""
    async with in_transaction():
        selpas, leas = await _directory()
        if not await Cycle.exists(name="2023-24"):
            past = await _cycle("2023-24", 2023, pacific_minute(date(2024, 6, 30)), selpas, leas)
            await _approve_history(past)
            await Cycle.filter(id=past.id).update(
                status=CycleStatus.CLOSED,
                opened_at=past.due_at - timedelta(days=90),
                closed_at=past.due_at + timedelta(days=30),
            )
        if not await Cycle.exists(name="2024-25"):
            due_day = (now + timedelta(days=60)).date()
            current = await _cycle("2024-25", 2024, pacific_minute(due_day), selpas, leas)
            await Cycle.filter(id=current.id).update(status=CycleStatus.OPEN, opened_at=now)
    return await demo_codes(secret_key)
