"""The ``Cycle`` type."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry.scalars import JSON

from models import Cycle as CycleRow
from models.shared.deadlines import to_pacific
from models.shared.enums import CycleStatus
from schema.shared.permissions import CdeAdminOnly


@strawberry.type(description="One yearly collection, e.g. 2024-25.")
class Cycle:
    row: strawberry.Private[CycleRow]

    @strawberry.field(description="The cycle's name, e.g. 2024-25.")
    def name(self) -> str:
        return self.row.name

    @strawberry.field(
        description="The cycle's stage; only an OPEN cycle accepts LEA and SELPA changes."
    )
    def status(self) -> CycleStatus:
        return self.row.status

    @strawberry.field(description="First day of the service window (inclusive).")
    def window_start(self) -> date:
        return self.row.window_start

    @strawberry.field(description="Last day of the service window (inclusive).")
    def window_end(self) -> date:
        return self.row.window_end

    @strawberry.field(description="Due instant; on time through the end of its minute.")
    def due_at(self) -> datetime:
        return to_pacific(self.row.due_at)

    @strawberry.field(description="The most students sampled from one LEA (default 500).")
    def max_sample(self) -> int:
        return self.row.max_sample

    @strawberry.field(description="The sample band table: min, max, fixed or percent per row.")
    def sample_bands(self) -> JSON:
        return JSON(self.row.sample_bands)

    @strawberry.field(
        description="The certification statement a submitter accepts with `certify: true`."
    )
    def certification_text(self) -> str:
        return self.row.certification_text

    @strawberry.field(
        description="The statement a SELPA reviewer certifies when approving a submission."
    )
    def selpa_certification_text(self) -> str:
        return self.row.selpa_certification_text

    @strawberry.field(
        description="Days before the due time on which required LEAs not yet submitted get a "
        "reminder, e.g. [14, 7, 1]."
    )
    def reminder_days(self) -> list[int]:
        return list(self.row.reminder_days)

    @strawberry.field(
        description="Days after a rejection during which the LEA may still resubmit, even past "
        "its due time."
    )
    def resubmission_grace_days(self) -> int:
        return self.row.resubmission_grace_days

    @strawberry.field(
        permission_classes=[CdeAdminOnly],
        description="The seed of the reproducible HMAC-SHA-256 sample draw: CDE_ADMIN only.",
    )
    def sampling_seed(self) -> str:
        return self.row.sampling_seed
