"""Months stored as dates become PeriodFields: same column, a Period in code (issue 13)."""

import opb_portal.core.fields
from opb_portal.core.fields import first_days_only
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("boardpack", "0001_initial"),
    ]

    operations = [
        first_days_only("boardpack", "meeting", "period"),
        first_days_only("boardpack", "packissue", "period"),
        # The column stays the date it was (PostgreSQL: no SQL; SQLite would copy the
        # table for nothing): only Django's idea of the field changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="meeting",
                    name="period",
                    field=opb_portal.core.fields.PeriodField(
                        help_text="First day of the reporting month the meeting considers."
                    ),
                ),
                migrations.AlterField(
                    model_name="packissue",
                    name="period",
                    field=opb_portal.core.fields.PeriodField(
                        help_text="The reporting month, as it was when issued."
                    ),
                ),
            ]
        ),
    ]
