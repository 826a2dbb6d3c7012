"""Months stored as dates become PeriodFields: same column, a Period in code (issue 13)."""

import opb_portal.core.fields
from opb_portal.core.fields import first_days_only
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("demand", "0006_comparators_move_to_their_own_app"),
    ]

    operations = [
        first_days_only("demand", "measurevalue", "period"),
        # The column stays the date it was (PostgreSQL: no SQL; SQLite would copy the
        # table for nothing): only Django's idea of the field changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="measurevalue",
                    name="period",
                    field=opb_portal.core.fields.PeriodField(
                        help_text="First day of the month the figure ends in."
                    ),
                ),
            ]
        ),
    ]
