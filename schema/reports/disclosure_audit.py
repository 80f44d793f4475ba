"""The disclosure audit of a snapshot, as CDE reads it before and after publishing."""

from __future__ import annotations

from typing import Any

import strawberry

from models.shared.enums import ReportGrouping
from schema.reports import types  # noqa: F401 - registers ReportGrouping with the schema


@strawberry.type(description="How one grouping of a snapshot is protected.")
class GroupingDisclosure:
    group_by: ReportGrouping = strawberry.field(description="The grouping.")
    published: int = strawberry.field(description="Cells (A, B, C, total) published.")
    primary_suppressed: int = strawberry.field(
        description="Cells withheld as small: 10 or fewer, or of a group of 10 or fewer students."
    )
    complementary_suppressed: int = strawberry.field(
        description="Cells withheld so that no small cell can be worked out or narrowed."
    )
    smallest_interval_width: int | None = strawberry.field(
        description="The narrowest attacker interval (max − min of a cell over every table "
        "consistent with what is published) of a small cell in a group of 11 or more "
        "students; at least 11. Null when there is none."
    )
    full_range_cells: int = strawberry.field(
        description="Small cells of groups of fewer than 11 students: each can be anything "
        "from 0 to the group's total."
    )
    suppressed_students: int = strawberry.field(description="Students in suppressed cells.")
    students: int = strawberry.field(description="Students in the grouping's A, B, C cells.")
    information_loss: str | None = strawberry.field(
        description="suppressedStudents / students in percent, two decimals, half-up."
    )


@strawberry.type(description="The disclosure audit of a snapshot.")
class DisclosureAudit:
    groupings: list[GroupingDisclosure] = strawberry.field(description="Per grouping.")
    lp_solves: int = strawberry.field(description="Linear programs solved to check it.")
    milp_solves: int = strawberry.field(description="Integer programs solved to check it.")

    @classmethod
    def of(cls, audit: dict[str, Any]) -> DisclosureAudit:
        return cls(
            groupings=[
                GroupingDisclosure(
                    group_by=ReportGrouping(name),
                    published=g["published"],
                    primary_suppressed=g["primarySuppressed"],
                    complementary_suppressed=g["complementarySuppressed"],
                    smallest_interval_width=g["smallestIntervalWidth"],
                    full_range_cells=g["fullRangeCells"],
                    suppressed_students=g["suppressedStudents"],
                    students=g["students"],
                    information_loss=g["informationLoss"],
                )
                for name, g in audit["groupings"].items()
            ],
            lp_solves=audit["lpSolves"],
            milp_solves=audit["milpSolves"],
        )
