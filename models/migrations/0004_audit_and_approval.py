from tortoise import migrations
from tortoise.migrations import operations as ops
from models.shared.enums import AuditOutcome
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0003_report_epoch')]

    initial = False

    operations = [
        ops.AddField(
            model_name='AuditSelection',
            name='certified_a',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='AuditSelection',
            name='certified_b',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='AuditSelection',
            name='certified_c',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='AuditSelection',
            name='documents_requested_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='AuditSelection',
            name='documents_reviewed_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='AuditSelection',
            name='note',
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AddField(
            model_name='AuditSelection',
            name='outcome',
            field=fields.CharEnumField(null=True, description='CONFIRMED: CONFIRMED\nDISCREPANCY: DISCREPANCY\nCORRECTED: CORRECTED', enum_type=AuditOutcome, max_length=12),
        ),
        ops.AddField(
            model_name='AuditSelection',
            name='outcome_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='AuditSelection',
            name='verified_a',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='AuditSelection',
            name='verified_b',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='AuditSelection',
            name='verified_c',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='AuditSelection',
            name='version',
            field=fields.IntField(default=0),
        ),
        ops.AddField(
            model_name='Cycle',
            name='selpa_certification_text',
            field=fields.TextField(default='', unique=False),
        ),
        ops.AddField(
            model_name='Submission',
            name='review_certification_text',
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AddField(
            model_name='Submission',
            name='reviewer_title',
            field=fields.CharField(null=True, max_length=200),
        ),
        ops.AddField(
            model_name='Submission',
            name='self_reviewed',
            field=fields.BooleanField(default=False),
        ),
    ]
