"""``iepimp create-cycle`` and ``draw-sample``."""

from __future__ import annotations

import argparse
from pathlib import Path

from iepimp.admin_commands import fail, write_sampling_report
from iepimp.progress import progress
from iepimp.year_commands import past_due_refusal
from kernel.clock import system_clock
from kernel.settings import Settings
from models import Cycle
from models.cycles.bands import Band
from models.shared.deadlines import PACIFIC
from resolvers.cycles.create_cycle import CycleSpec, CycleSpecError, create_cycle
from resolvers.cycles.draw_sample import DrawRefused, draw_cycle_samples
from resolvers.cycles.roster_missing import roster_missing

FLAGS = {
    "due_at": "--due",
    "bands": "--bands",
    "resubmission_grace_days": "--grace-days",
    "sampling_seed": "--seed",
}
"""The ``create-cycle`` flag of each cycle setting whose name differs from it."""


async def create_cycle_command(args: argparse.Namespace, _: Settings) -> int:
    bands: list[Band] | None = args.bands
    spec = CycleSpec(
        name=args.name,
        window_start=args.window_start,
        window_end=args.window_end,
        due_at=args.due,
        max_sample=args.max_sample,
        certification_text=args.certification_text,
        reminder_days=args.reminder_days,
        resubmission_grace_days=args.grace_days,
    )
    if bands is not None:
        spec.bands = bands
    if args.seed is not None:
        spec.sampling_seed = args.seed
    now = system_clock()
    if not args.allow_past_due and (refusal := past_due_refusal(args.due, now, "--due")):
        return refusal
    try:
        cycle = await create_cycle(spec)
    except CycleSpecError as exc:
        flag = FLAGS.get(exc.field, f"--{exc.field.replace('_', '-')}")
        return fail(f"{flag}: {exc.reason}")
    due = cycle.due_at.astimezone(PACIFIC)
    print(f"created cycle {cycle.name} (DRAFT), due {due:%Y-%m-%d %H:%M %Z}")
    return 0


async def draw_sample_command(args: argparse.Namespace, _: Settings) -> int:
    cycle = await Cycle.get_or_none(name=args.cycle)
    if cycle is None:
        return fail(f"--cycle: there is no cycle {args.cycle}")
    try:
        drawn = await draw_cycle_samples(
            cycle, system_clock(), only_cds=args.lea, progress=progress("drawing samples", "LEAs")
        )
    except DrawRefused as exc:
        return fail(str(exc))
    students = sum(d.sample_size for d in drawn)
    print(f"drew {students} students for {len(drawn)} LEAs in {cycle.name}")
    missing = await roster_missing(cycle.id)
    if missing:
        print(
            f"not drawn: {len(missing)} required LEA(s) have no roster loaded (ROSTER_MISSING): "
            + ", ".join(missing)
        )
    if args.report:
        await write_sampling_report(cycle, Path(args.report))
        print(f"sampling report: {args.report}")
    return 0
