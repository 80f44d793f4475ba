"""DataLoaders, created per request: each answers a batch of keys in one query, in key order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from strawberry.dataloader import DataLoader
from tortoise.models import Model

from models import Cycle, Submission, SubmissionEvent
from models.worksheet.rules import WorksheetCounts
from resolvers.worksheet.counts import derived_counts

M = TypeVar("M", bound=Model)
CycleLea = tuple[int, int]


async def _by_id(model: type[M], keys: Sequence[int]) -> list[M | None]:
    rows = {row.pk: row for row in await model.filter(id__in=set(keys))}
    return [rows.get(key) for key in keys]


async def load_cycles(keys: Sequence[int]) -> list[Cycle | None]:
    return await _by_id(Cycle, keys)


def _pairs_filter(keys: Iterable[CycleLea]) -> dict[str, set[int]]:
    cycle_ids = {cycle_id for cycle_id, _ in keys}
    lea_ids = {lea_id for _, lea_id in keys}
    return {"cycle_id__in": cycle_ids, "lea_id__in": lea_ids}


async def load_submissions(keys: Sequence[CycleLea]) -> list[Submission | None]:
    rows = await Submission.filter(**_pairs_filter(keys))
    found = {(row.cycle_id, row.lea_id): row for row in rows}
    return [found.get(key) for key in keys]


async def load_events(keys: Sequence[int]) -> list[list[SubmissionEvent]]:
    grouped: dict[int, list[SubmissionEvent]] = defaultdict(list)
    for event in await SubmissionEvent.filter(submission_id__in=set(keys)).order_by("id"):
        grouped[event.submission_id].append(event)
    return [grouped.get(key, []) for key in keys]


async def load_worksheets(keys: Sequence[CycleLea]) -> list[WorksheetCounts]:
    by_cycle: dict[int, set[int]] = defaultdict(set)
    for cycle_id, lea_id in keys:
        by_cycle[cycle_id].add(lea_id)
    found = {
        (cycle_id, lea_id): counts
        for cycle_id, lea_ids in by_cycle.items()
        for lea_id, counts in (await derived_counts(cycle_id, lea_ids)).items()
    }
    return [found[key] for key in keys]


@dataclass
class Loaders:
    cycle: DataLoader[int, Cycle | None] = field(
        default_factory=lambda: DataLoader(load_fn=load_cycles)
    )
    submission: DataLoader[CycleLea, Submission | None] = field(
        default_factory=lambda: DataLoader(load_fn=load_submissions)
    )
    events: DataLoader[int, list[SubmissionEvent]] = field(
        default_factory=lambda: DataLoader(load_fn=load_events)
    )
    worksheet: DataLoader[CycleLea, WorksheetCounts] = field(
        default_factory=lambda: DataLoader(load_fn=load_worksheets)
    )
