"""The synthetic state of the whole-year test: its directory and rosters as CSV files, and one
signed-in GraphQL client per access code, all on one clock the test moves step by step."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from starlette.applications import Starlette

from iepimp.generate import DIRECTORY_COLUMNS
from models import Cycle
from models.shared.deadlines import pacific_minute
from resolvers.access.issue_cycle_codes import issue_cycle_codes
from resolvers.cycles.create_cycle import CycleSpec, create_cycle
from tests.support.clients import GraphQLClient, GraphQLResponse
from tests.support.factories import SECRET, FakeClock
from tests.support.workflow_support import (
    CYCLE,
    EXTEND,
    REVIEW,
    SAVE,
    SUBMIT,
    review_input,
    save_input,
    submit_input,
)

ROSTER_HEADER = "cds_code,ssid,first_name,last_name,birth_date,grade,disability_category\n"
AUDIT_SEED = "whole-year-audit-seed-0006"
SAMPLING_SEED = "whole-year-sampling-seed-0001"
ADMIN = "CDE"
"""The key of the CDE administrator's code among the office's codes."""


@dataclass(frozen=True)
class Lea:
    cds: str
    selpa: str
    swd: int | None
    """Students on its roster (None: the directory declares swd_count 0, so it is exempt)."""


# SELPAs: 0110 (county 01, Alameda); 1910 and 1920 (county 19, Los Angeles).
ON_TIME_1 = Lea("01000000000001", "0110", 8)
ON_TIME_2 = Lea("01000000000002", "0110", 30)
EXTENDED_1 = Lea("01000000000003", "0110", 250)
EXEMPT = Lea("01000000000004", "0110", None)
REJECTED = Lea("01000000000005", "0110", 12)
ON_TIME_3 = Lea("01000000000006", "0110", 3)
REOPENED = Lea("19000000000001", "1910", 40)
ON_TIME_4 = Lea("19000000000002", "1910", 5)
EXTENDED_2 = Lea("19000000000003", "1910", 20)
DRAFT_ONLY = Lea("19000000000004", "1910", 15)
ON_TIME_5 = Lea("19000000000005", "1920", 25)
ON_TIME_6 = Lea("19000000000006", "1920", 10)
FIRST_DIRECTORY = [
    ON_TIME_1,
    ON_TIME_2,
    EXTENDED_1,
    EXEMPT,
    REJECTED,
    ON_TIME_3,
    REOPENED,
    ON_TIME_4,
    EXTENDED_2,
    DRAFT_ONLY,
    ON_TIME_5,
    ON_TIME_6,
]
LATE = Lea("19000000000007", "1920", 18)
"""Added to the directory while the cycle is OPEN, with its own roster loaded then."""
NO_ROSTER = Lea("19000000000008", "1920", 0)
"""Added while OPEN and required, its roster never loaded: ROSTER_MISSING to the end."""
ALL_LEAS = [*FIRST_DIRECTORY, LATE, NO_ROSTER]
"""Every LEA of the year, in CDS order (the order of the reports)."""
SELPA_NAMES = {"0110": "Bay SELPA", "1910": "Harbor SELPA", "1920": "Valley SELPA"}

DUE = pacific_minute(date(2025, 6, 30))
"""The cycle's due time, 2025-06-30 23:59 PDT = 2025-07-01 06:59 UTC."""


def at(month: int, day: int, hour: int = 12) -> datetime:
    """An instant of 2025 (UTC)."""
    return datetime(2025, month, day, hour, 0, tzinfo=UTC)


def write_directory(path: Path, leas: list[Lea]) -> Path:
    lines = [",".join(DIRECTORY_COLUMNS)]
    for lea in leas:
        swd = "0" if lea.swd is None else ""
        selpa = [lea.selpa, SELPA_NAMES[lea.selpa], f"Pat {lea.selpa}", f"s{lea.selpa}@example.org"]
        contact = [f"Dana {lea.cds[-2:]}", f"d{lea.cds}@example.org"]
        lines.append(
            ",".join([lea.cds, f"LEA {lea.cds[-2:]}", "district", *selpa, *contact])
            + f",true,true,{swd},"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_roster(path: Path, leas: list[Lea]) -> Path:
    rows = []
    for lea in leas:
        base = 1_000_000_000 + int(lea.cds[:2]) * 10_000_000 + int(lea.cds[-2:]) * 10_000
        rows += [
            f"{lea.cds},{base + i:010d},Ana{i},Year,2014-05-01,05,SLD\n"
            for i in range(lea.swd or 0)
        ]
    path.write_text(ROSTER_HEADER + "".join(rows), encoding="utf-8")
    return path


async def new_cycle() -> Cycle:
    spec = CycleSpec(
        name=CYCLE,
        window_start=date(2025, 3, 3),
        window_end=date(2025, 4, 30),
        due_at=DUE,
        sampling_seed=SAMPLING_SEED,
    )
    return await create_cycle(spec)


@dataclass
class Office:
    """The people of the year: CDE, each SELPA and each LEA signed in with its own code."""

    app: Starlette
    clock: FakeClock
    codes: dict[str, str] = field(default_factory=dict)
    clients: dict[str, GraphQLClient] = field(default_factory=dict)

    def day(self, month: int, day: int) -> None:
        """Move the clock to noon UTC of that day; everyone signs in again (sessions ended)."""
        self.clock.now = at(month, day)
        self.clients.clear()

    async def hand_out_codes(self, cycle: Cycle) -> list[str]:
        """Issue the cycle's codes (new scopes only); the scopes issued."""
        issued, _ = await issue_cycle_codes(SECRET, cycle, self.clock())
        self.codes.update((row.scope_code, row.access_code) for row in issued)
        return [row.scope_code for row in issued]

    async def client(self, scope: str) -> GraphQLClient:
        """The client of a SELPA or LEA, signed in with its code on first use."""
        if scope not in self.clients:
            client = GraphQLClient(self.app)
            signed_in = await client.login(self.codes[scope])
            assert client.token, signed_in.body
            self.clients[scope] = client
        return self.clients[scope]

    async def save(self, lea: Lea, a: int, b: int, c: int, by: str = "") -> dict[str, Any]:
        """The LEA (or ``by``, its SELPA's code) saves the counts."""
        client = await self.client(by or lea.cds)
        result = await client.execute(SAVE, i=save_input(lea.cds, a, b, c))
        return dict(result.data["saveCounts"])

    async def submit(self, lea: Lea, by: str = "") -> dict[str, Any]:
        client = await self.client(by or lea.cds)
        result = await client.execute(SUBMIT, i=submit_input(lea.cds))
        return dict(result.data["submitSubmission"])

    async def save_and_submit(self, lea: Lea, a: int, b: int, c: int, by: str = "") -> None:
        saved = await self.save(lea, a, b, c, by)
        assert saved["userErrors"] == [], (lea.cds, saved)
        submitted = await self.submit(lea, by)
        assert submitted["userErrors"] == [], (lea.cds, submitted)
        assert submitted["submission"]["status"] == "SUBMITTED"

    async def review(self, lea: Lea, decision: str, reason: str | None = None) -> dict[str, Any]:
        body = review_input(lea.cds, decision, reason)
        result = await (await self.client(lea.selpa)).execute(REVIEW, i=body)
        payload = dict(result.data["reviewSubmission"])
        assert payload["userErrors"] == [], (lea.cds, payload)
        return payload

    async def extend(self, lea: Lea, day: date) -> None:
        """CDE grants the LEA an extension to 23:59 Pacific of ``day``."""
        body = {"cycle": CYCLE, "cdsCode": lea.cds, "dueAt": pacific_minute(day).isoformat()}
        got = await self.as_admin(EXTEND, i=body)
        assert got.data["grantExtension"]["userErrors"] == [], got.body

    async def report(self, grouping: str) -> list[dict[str, Any]]:
        """The internal report's rows for CDE, in the report's order."""
        return list((await self.as_admin(REPORT, c=CYCLE, g=grouping)).data["report"])

    async def certified(self, lea: Lea) -> dict[str, Any]:
        """The approval as the LEA's SELPA sees it on the submission."""
        got = await (await self.client(lea.selpa)).execute(CERTIFIED, c=CYCLE, l=lea.cds)
        return dict(got.data["submission"])

    async def as_admin(self, query: str, **variables: Any) -> GraphQLResponse:
        result = await (await self.client(ADMIN)).execute(query, **variables)
        assert not result.errors, result.body
        return result


DRAW_AUDIT = (
    "mutation($c: String!) { drawAuditSelection(cycle: $c) { selected { cdsCode } "
    "userErrors { field code message } } }"
)
CERTIFIED = (
    "query($c: String!, $l: String!) { submission(cycle: $c, cdsCode: $l) { status "
    "reviewer { name title } reviewCertificationText selfReviewed } }"
)
AUDIT_STEP = (
    "mutation($i: RecordAuditStepInput!) { recordAuditStep(input: $i) { finding { cdsCode "
    "status outcome certifiedCounts verifiedCounts } userErrors { field code message } } }"
)
AUDIT_SUMMARY = (
    "query($c: String!) { auditSummary(cycle: $c) { audited concluded confirmed discrepancies "
    "corrected studentsMoved agreementRate } }"
)
REPORT = (
    "query($c: String!, $g: ReportGrouping!) { report(cycle: $c, groupBy: $g) { key "
    "leaCounts { required exempt notStarted draft submitted approved rejected } "
    "students { countA countB countC total shareA { percent } shareB { percent } "
    "shareC { percent } } responseRate { numerator denominator percent } "
    "timeliness { numerator denominator percent } extensionsGranted } }"
)
LEA_STATUSES = ("required", "exempt", "notStarted", "draft", "submitted", "approved", "rejected")


def counts_of(row: dict[str, Any]) -> tuple[Any, ...]:
    """(key, required, exempt, not started, draft, submitted, approved, rejected, A, B, C,
    total) of a report row."""
    leas, students = row["leaCounts"], row["students"]
    picked = (students[k] for k in ("countA", "countB", "countC", "total"))
    return (row["key"], *(leas[k] for k in LEA_STATUSES), *picked)


def rates_of(row: dict[str, Any]) -> tuple[Any, ...]:
    """(key, share A, B, C, "responded/required percent", "on time/submitted percent",
    extensions granted) of a report row."""
    shares = (row["students"][k]["percent"] for k in ("shareA", "shareB", "shareC"))
    response, timely = row["responseRate"], row["timeliness"]
    return (
        row["key"],
        *shares,
        f"{response['numerator']}/{response['denominator']} {response['percent']}",
        f"{timely['numerator']}/{timely['denominator']} {timely['percent']}",
        row["extensionsGranted"],
    )
