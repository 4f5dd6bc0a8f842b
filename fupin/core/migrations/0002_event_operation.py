from django.db import migrations, models

import fupin.core.operations


def operation_field(**extra):
    return models.UUIDField(
        blank=True, db_index=True, editable=False, null=True, verbose_name="操作编号", **extra
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    # The column is added without a default: a callable default would be evaluated once and give
    # every earlier event the same operation. The model's default (the current operation) is for
    # the rows written from now on.
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AddField(model_name="event", name="operation", field=operation_field()),
            ],
            state_operations=[
                migrations.AddField(
                    model_name="event",
                    name="operation",
                    field=operation_field(default=fupin.core.operations.operation_id),
                ),
            ],
        ),
    ]
