"""
Take over `kpis.ChildPopulation` without touching a row.

State only: the model is declared here on the table kpis made (`kpis_childpopulation`),
and kpis 0005 forgets it. 0002 then renames the table to `reference_childpopulation`.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        # The table exists (kpis 0001 made it) before this app claims it.
        ("kpis", "0004_kpidefinition_decimal_places"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ChildPopulation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("financial_year_start", models.PositiveSmallIntegerField(unique=True)),
                        ("children", models.PositiveIntegerField()),
                        ("source", models.CharField(blank=True, max_length=200)),
                    ],
                    options={"db_table": "kpis_childpopulation"},
                ),
            ],
            database_operations=[],
        ),
    ]
