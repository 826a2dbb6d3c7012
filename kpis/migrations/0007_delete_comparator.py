"""A KPI's comparators are the comparator store's now (0006 moved every figure there)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0006_comparators_into_the_store"),
    ]

    operations = [
        migrations.DeleteModel(name="Comparator"),
    ]
