from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0004_audit_and_approval')]

    initial = False

    operations = [
        ops.AddField(
            model_name='PublishedReport',
            name='audit',
            field=fields.JSONField(null=True, description='The disclosure audit of the snapshot (for CDE, never public).', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='PublishedReport',
            name='history',
            field=fields.JSONField(null=True, description='What each publication of the cycle taught the attacker (never public).', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
    ]
