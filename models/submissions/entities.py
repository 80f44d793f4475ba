"""One submission per active LEA per cycle, and its event history (SPEC §3.5, §3.6)."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.shared.enums import ReviewDecision, SubmissionStatus

if TYPE_CHECKING:
    from models.cycles.entities import Cycle
    from models.directory.entities import Lea


class Submission(Model):
    cycle_id: int
    lea_id: int
    id = fields.IntField(primary_key=True)
    cycle: fields.ForeignKeyRelation["Cycle"] = fields.ForeignKeyField(
        "models.Cycle", related_name="submissions", on_delete=fields.CASCADE
    )
    lea: fields.ForeignKeyRelation["Lea"] = fields.ForeignKeyField(
        "models.Lea", related_name="submissions", on_delete=fields.CASCADE
    )
    status = fields.CharEnumField(
        SubmissionStatus, max_length=12, default=SubmissionStatus.NOT_STARTED
    )
    version = fields.IntField(default=0)
    count_a = fields.IntField(null=True)
    count_b = fields.IntField(null=True)
    count_c = fields.IntField(null=True)
    submitter_name = fields.CharField(max_length=200, null=True)
    submitter_title = fields.CharField(max_length=200, null=True)
    submitter_email = fields.CharField(max_length=254, null=True)
    submitter_phone = fields.CharField(max_length=32, null=True)
    submitter_phone_ext = fields.CharField(max_length=10, null=True)
    certification_text = fields.TextField(null=True)
    certified_at = fields.DatetimeField(null=True)
    submitted_at = fields.DatetimeField(null=True)
    first_submitted_at = fields.DatetimeField(null=True)
    review_decision = fields.CharEnumField(ReviewDecision, max_length=8, null=True)
    rejection_reason = fields.TextField(null=True)
    reviewer_role = fields.CharField(max_length=16, null=True)
    reviewer_scope = fields.CharField(max_length=32, null=True)
    reviewer_name = fields.CharField(max_length=200, null=True)
    reviewer_title = fields.CharField(max_length=200, null=True)
    review_certification_text = fields.TextField(null=True)
    """The cycle's SELPA certification statement the approving reviewer certified."""
    self_reviewed = fields.BooleanField(default=False)
    """Approved by the SELPA that itself entered and submitted the counts."""
    reviewed_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(null=True)

    class Meta:
        table = "submission"
        unique_together = (("cycle", "lea"),)
        indexes = (("cycle_id", "status"),)


class SubmissionEvent(Model):
    submission_id: int
    id = fields.IntField(primary_key=True)
    submission: fields.ForeignKeyRelation[Submission] = fields.ForeignKeyField(
        "models.Submission", related_name="events", on_delete=fields.CASCADE
    )
    at = fields.DatetimeField()
    actor_role = fields.CharField(max_length=16)
    actor_scope = fields.CharField(max_length=32, default="")
    actor_name = fields.CharField(max_length=200, null=True)
    action = fields.CharField(max_length=32)
    from_status = fields.CharEnumField(SubmissionStatus, max_length=12)
    to_status = fields.CharEnumField(SubmissionStatus, max_length=12)
    version = fields.IntField()
    count_a = fields.IntField(null=True)
    count_b = fields.IntField(null=True)
    count_c = fields.IntField(null=True)
    reason = fields.TextField(null=True)

    class Meta:
        table = "submission_event"
        ordering = ["id"]
