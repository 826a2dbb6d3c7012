"""
The child population moved to `opb_portal.reference` (issue 13): every domain may use it.

State only: the table and its rows stay where they are; reference 0001 has already
declared the model on this table, and reference 0002 renames it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0004_kpidefinition_decimal_places"),
        ("reference", "0001_childpopulation_from_kpis"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ChildPopulation")],
            database_operations=[],
        ),
    ]
