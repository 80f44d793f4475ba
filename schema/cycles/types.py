"""The ``Cycle`` type: plain fields, so a list of cycles is completed without resolver calls."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from models import Cycle as CycleRow
from models.shared.deadlines import to_pacific
from models.shared.enums import CycleStatus
from schema.shared.permissions import CdeAdminOnly

COLUMNS = (
    "name",
    "status",
    "window_start",
    "window_end",
    "due_at",
    "max_sample",
    "sample_bands",
    "certification_text",
    "selpa_certification_text",
    "reminder_days",
    "resubmission_grace_days",
    "sampling_seed",
)
"""The columns a ``Cycle`` is shown from (``Cycle.of_values``)."""


@strawberry.type(description="One yearly collection, e.g. 2024-25.")
class Cycle:
    seed: strawberry.Private[str]
    name: str = strawberry.field(description="The cycle's name, e.g. 2024-25.")
    status: CycleStatus = strawberry.field(
        description="The cycle's stage; only an OPEN cycle accepts LEA and SELPA changes."
    )
    window_start: date = strawberry.field(
        description="First day of the service window (inclusive)."
    )
    window_end: date = strawberry.field(description="Last day of the service window (inclusive).")
    due_at: datetime = strawberry.field(
        description="Due instant; on time through the end of its minute."
    )
    max_sample: int = strawberry.field(
        description="The most students sampled from one LEA (default 500)."
    )
    sample_bands: JSON = strawberry.field(
        description="The sample band table: min, max, fixed or percent per row."
    )
    certification_text: str = strawberry.field(
        description="The certification statement a submitter accepts with `certify: true`."
    )
    selpa_certification_text: str = strawberry.field(
        description="The statement a SELPA reviewer certifies when approving a submission."
    )
    reminder_days: list[int] = strawberry.field(
        description="Days before the due time on which required LEAs not yet submitted get a "
        "reminder, e.g. [14, 7, 1]."
    )
    resubmission_grace_days: int = strawberry.field(
        description="Days after a rejection during which the LEA may still resubmit, even past "
        "its due time."
    )

    @classmethod
    def of(cls, row: CycleRow) -> Cycle:
        return cls.of_values({column: getattr(row, column) for column in COLUMNS})

    @classmethod
    def of_values(cls, values: Mapping[str, Any]) -> Cycle:
        """The cycle shown from its ``COLUMNS`` as the ORM reads them."""
        return cls(
            seed=values["sampling_seed"],
            name=values["name"],
            status=values["status"],
            window_start=values["window_start"],
            window_end=values["window_end"],
            due_at=to_pacific(values["due_at"]),
            max_sample=values["max_sample"],
            sample_bands=JSON(values["sample_bands"]),
            certification_text=values["certification_text"],
            selpa_certification_text=values["selpa_certification_text"],
            reminder_days=list(values["reminder_days"]),
            resubmission_grace_days=values["resubmission_grace_days"],
        )

    @strawberry.field(
        permission_classes=[CdeAdminOnly],
        description="The seed of the reproducible HMAC-SHA-256 sample draw: CDE_ADMIN only.",
    )
    def sampling_seed(self) -> str:
        return self.seed
