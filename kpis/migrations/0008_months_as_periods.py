"""Months stored as dates become PeriodFields: same column, a Period in code (issue 13)."""

import opb_portal.core.fields
from opb_portal.core.fields import first_days_only
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0007_delete_comparator"),
    ]

    operations = [
        first_days_only("kpis", "kpivalue", "period"),
        first_days_only("kpis", "thresholdrule", "effective_from"),
        # The column stays the date it was (PostgreSQL: no SQL; SQLite would copy the
        # table for nothing): only Django's idea of the field changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="kpivalue",
                    name="period",
                    field=opb_portal.core.fields.PeriodField(
                        help_text="First day of the reporting month."
                    ),
                ),
                migrations.AlterField(
                    model_name="thresholdrule",
                    name="effective_from",
                    field=opb_portal.core.fields.PeriodField(
                        help_text="First day of the first month the rule applies to."
                    ),
                ),
            ]
        ),
    ]
