"""Months stored as dates become PeriodFields: same column, a Period in code (issue 13)."""

import opb_portal.core.fields
from opb_portal.core.fields import first_days_only
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("workforce", "0001_initial"),
    ]

    operations = [
        first_days_only("workforce", "caseloadfigure", "period"),
        first_days_only("workforce", "caseloadstandard", "effective_from"),
        first_days_only("workforce", "service", "first_month", "last_month"),
        first_days_only("workforce", "workforcemonth", "period"),
        first_days_only("workforce", "workforcerule", "effective_from"),
        # The column stays the date it was (PostgreSQL: no SQL; SQLite would copy the
        # table for nothing): only Django's idea of the field changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="caseloadfigure",
                    name="period",
                    field=opb_portal.core.fields.PeriodField(
                        help_text="First day of the reporting month."
                    ),
                ),
                migrations.AlterField(
                    model_name="caseloadstandard",
                    name="effective_from",
                    field=opb_portal.core.fields.PeriodField(
                        help_text="First day of the first month it applies to."
                    ),
                ),
                migrations.AlterField(
                    model_name="service",
                    name="first_month",
                    field=opb_portal.core.fields.PeriodField(
                        help_text="First day of the first month the return holds it."
                    ),
                ),
                migrations.AlterField(
                    model_name="service",
                    name="last_month",
                    field=opb_portal.core.fields.PeriodField(
                        blank=True,
                        help_text="First day of the last month; empty while it runs.",
                        null=True,
                    ),
                ),
                migrations.AlterField(
                    model_name="workforcemonth",
                    name="period",
                    field=opb_portal.core.fields.PeriodField(
                        help_text="First day of the reporting month.", unique=True
                    ),
                ),
                migrations.AlterField(
                    model_name="workforcerule",
                    name="effective_from",
                    field=opb_portal.core.fields.PeriodField(
                        help_text="First day of the first month the rule applies to."
                    ),
                ),
            ]
        ),
    ]
