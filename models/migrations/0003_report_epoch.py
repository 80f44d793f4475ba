from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

from models.reports.epoch import drop_triggers, install_triggers


async def install(apps: Any, schema_editor: Any) -> None:
    await install_triggers(schema_editor.client)


async def uninstall(apps: Any, schema_editor: Any) -> None:
    await drop_triggers(schema_editor.client)


class Migration(migrations.Migration):
    dependencies = [('models', '0002_submission_reviewer')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ReportEpoch',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('token', fields.CharField(max_length=32)),
            ],
            options={'table': 'report_epoch', 'app': 'models', 'pk_attr': 'id', 'table_description': 'PostgreSQL: a single row (``id`` 1) holding the current token.'},
            bases=['Model'],
        ),
        ops.RunPython(install, uninstall),
    ]
