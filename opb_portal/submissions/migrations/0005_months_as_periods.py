"""Months stored as dates become PeriodFields: same column, a Period in code (issue 13)."""

import opb_portal.core.fields
from opb_portal.core.fields import first_days_only
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0004_uploads_kept_for_a_purpose"),
    ]

    operations = [
        first_days_only("submissions", "lockedperiod", "period"),
        first_days_only("submissions", "periodlockevent", "period"),
        first_days_only("submissions", "return", "period"),
        # The column stays the date it was (PostgreSQL: no SQL; SQLite would copy the
        # table for nothing): only Django's idea of the field changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="lockedperiod",
                    name="period",
                    field=opb_portal.core.fields.PeriodField(unique=True),
                ),
                migrations.AlterField(
                    model_name="periodlockevent",
                    name="period",
                    field=opb_portal.core.fields.PeriodField(),
                ),
                migrations.AlterField(
                    model_name="return",
                    name="period",
                    field=opb_portal.core.fields.PeriodField(
                        help_text="First day of the reporting month."
                    ),
                ),
            ]
        ),
    ]
