"""The year from the command line: ``open-cycle``, ``close-cycle``, ``grant-extension``,
``reopen`` and ``exempt``, over the same use cases as the GraphQL mutations."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from iepimp.admin_commands import CLI_PRINCIPAL, fail
from kernel.clock import system_clock
from kernel.errors import UserErrorData
from kernel.settings import Settings
from models import Cycle, LeaCycle
from models.shared.deadlines import PACIFIC, end_of_minute, to_pacific
from resolvers.cycles.close_cycle import close_cycle
from resolvers.cycles.exempt_lea import ExemptLea, exempt_lea
from resolvers.cycles.open_cycle import open_cycle
from resolvers.submissions.grant_extension import GrantExtension, grant_extension
from resolvers.submissions.reopen_submission import ReopenSubmission, reopen_submission

Work = Callable[[argparse.Namespace, Settings], Awaitable[int]]
Runner = Callable[[Work], Callable[[argparse.Namespace], int]]
CommandMaker = Callable[[str, str], argparse.ArgumentParser]


def parse_due(value: str) -> datetime:
    """``YYYY-MM-DD HH:MM`` in America/Los_Angeles, or an ISO instant with an offset."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date and time: {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=PACIFIC)


def shown(instant: datetime) -> str:
    return f"{to_pacific(instant):%Y-%m-%d %H:%M %Z}"


def past_due_refusal(due: datetime, now: datetime, flag: str) -> int | None:
    """A due time already past is refused unless ``--allow-past-due`` (LEAs could not save)."""
    if end_of_minute(due) <= now:
        return fail(
            f"{flag}: the due time {shown(due)} has already passed, so no LEA could save; "
            "give a later one, or pass --allow-past-due"
        )
    return None


def _refused(errors: Sequence[UserErrorData]) -> int:
    for error in errors[1:]:
        fail(f"{error.code.value}: {error.message}")
    first = errors[0]
    return fail(f"{first.code.value}: {first.message}")


async def open_cycle_command(args: argparse.Namespace, _: Settings) -> int:
    now = system_clock()
    cycle = await Cycle.get_or_none(name=args.cycle)
    if cycle is None:
        return fail(f"--cycle: there is no cycle {args.cycle}")
    if not args.allow_past_due and (refusal := past_due_refusal(cycle.due_at, now, "--cycle")):
        return refusal
    outcome = await open_cycle(CLI_PRINCIPAL, args.cycle, now)
    if outcome.errors:
        return _refused(outcome.errors)
    print(f"opened cycle {args.cycle}: LEAs and SELPAs can work until {shown(cycle.due_at)}")
    return 0


async def close_cycle_command(args: argparse.Namespace, _: Settings) -> int:
    if args.force and not args.reason:
        return fail("--reason: give the reason for --force")
    outcome = await close_cycle(
        CLI_PRINCIPAL, args.cycle, system_clock(), force=args.force, reason=args.reason
    )
    if outcome.errors:
        return _refused(outcome.errors)
    forced = f" (forced: {args.reason})" if args.force else ""
    print(f"closed cycle {args.cycle}{forced}; it is read-only now")
    return 0


async def grant_extension_command(args: argparse.Namespace, _: Settings) -> int:
    command = GrantExtension(args.cycle, args.lea, args.due)
    outcome = await grant_extension(CLI_PRINCIPAL, command, system_clock())
    if outcome.errors:
        return _refused(outcome.errors)
    print(f"extended LEA {args.lea} in {args.cycle} to {shown(args.due)}; its contact is mailed")
    return 0


async def reopen_command(args: argparse.Namespace, _: Settings) -> int:
    command = ReopenSubmission(args.cycle, args.lea, args.reason, due_at=args.due)
    outcome = await reopen_submission(CLI_PRINCIPAL, command, system_clock())
    if outcome.errors:
        return _refused(outcome.errors)
    membership = await LeaCycle.get(
        cycle__name=args.cycle, lea__cds_code=args.lea
    ).prefetch_related("cycle")
    due = membership.due_at_extension or membership.cycle.due_at
    due = max(due, membership.cycle.due_at)
    print(f"reopened LEA {args.lea} in {args.cycle} (DRAFT again), due {shown(due)}")
    return 0


async def exempt_command(args: argparse.Namespace, _: Settings) -> int:
    outcome = await exempt_lea(
        CLI_PRINCIPAL, ExemptLea(args.cycle, args.lea, args.reason), system_clock()
    )
    if outcome.errors:
        return _refused(outcome.errors)
    print(f"LEA {args.lea} is exempt in {args.cycle}: {args.reason}")
    return 0


def register(command: CommandMaker, with_db: Runner) -> None:
    """Add the year's subcommands to the parser through the CLI's ``command`` helper."""
    p = command("open-cycle", "open a DRAFT cycle (every required LEA has a roster and sample)")
    p.add_argument("--cycle", required=True)
    p.add_argument("--allow-past-due", action="store_true", help="open although it is past due")
    p.set_defaults(run=with_db(open_cycle_command))

    p = command("close-cycle", "close an OPEN cycle (refused while LEAs still have work open)")
    p.add_argument("--cycle", required=True)
    p.add_argument("--force", action="store_true", help="close although LEAs have work open")
    p.add_argument("--reason", help="why it is forced closed (needed with --force; recorded)")
    p.set_defaults(run=with_db(close_cycle_command))

    p = command("grant-extension", "move one LEA's due time later (mails its contact)")
    p.add_argument("--cycle", required=True)
    p.add_argument("--lea", required=True, help="CDS code")
    p.add_argument("--due", type=parse_due, required=True, help="'2026-07-15 23:59' (Pacific)")
    p.set_defaults(run=with_db(grant_extension_command))

    p = command("reopen", "return a submitted or approved submission to DRAFT, with a due time")
    p.add_argument("--cycle", required=True)
    p.add_argument("--lea", required=True, help="CDS code")
    p.add_argument("--reason", required=True, help="mailed to the submitter and the SELPA")
    p.add_argument(
        "--due",
        type=parse_due,
        help="new due time (default: when past or near, the cycle's grace days from now)",
    )
    p.set_defaults(run=with_db(reopen_command))

    p = command("exempt", "record an LEA as not required this cycle, with a reason")
    p.add_argument("--cycle", required=True)
    p.add_argument("--lea", required=True, help="CDS code")
    p.add_argument("--reason", required=True, help="the recorded reason")
    p.set_defaults(run=with_db(exempt_command))
