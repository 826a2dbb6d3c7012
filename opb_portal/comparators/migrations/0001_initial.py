"""
The comparator store, taken over from the demand app with every row.

Databases that had the demand app: its migration 0006 (which runs before this one)
renamed the tables (`demand_authority` became `comparators_authority`, the neighbour
groups' members table with them) and handed their content types over; this migration
only declares the models. A database without the demand app gets the tables created
here. Either way no row is copied, so none can be lost, and primary keys (the import
history's addresses, /comparators/<pk>/) stay what they were.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import opb_portal.core.fields

MODELS = (
    "Authority",
    "ComparatorImport",
    "NeighbourGroup",
    "ComparatorValue",
    "ComparatorChange",
    "PublishedAverage",
)


def create_tables_not_handed_over(apps, schema_editor):
    """Create each model's table unless it already exists (renamed by demand's 0006)."""
    with schema_editor.connection.cursor() as cursor:
        existing = set(schema_editor.connection.introspection.table_names(cursor))
    for name in MODELS:
        model = apps.get_model("comparators", name)
        if model._meta.db_table not in existing:
            schema_editor.create_model(model)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("submissions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Authority",
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
                        ("name", models.CharField(max_length=100, unique=True)),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("local_authority", "Local authority"),
                                    ("region", "Region"),
                                    ("england", "England"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "code",
                            models.CharField(
                                blank=True,
                                help_text="ONS code, for example E08000028.",
                                max_length=12,
                            ),
                        ),
                        ("region", models.CharField(blank=True, max_length=60)),
                    ],
                    options={
                        "verbose_name_plural": "authorities",
                        "ordering": ["kind", "name"],
                    },
                ),
                migrations.CreateModel(
                    name="ComparatorImport",
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
                        (
                            "source",
                            models.CharField(
                                choices=[("file", "Imported file"), ("form", "Typed")],
                                max_length=10,
                            ),
                        ),
                        ("filename", models.CharField(blank=True, max_length=255)),
                        ("sha256", models.CharField(blank=True, max_length=64)),
                        ("added", models.PositiveIntegerField(default=0)),
                        ("changed", models.PositiveIntegerField(default=0)),
                        ("unchanged", models.PositiveIntegerField(default=0)),
                        ("at", models.DateTimeField(auto_now_add=True)),
                        (
                            "upload",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="submissions.uploadedfile",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-at", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="NeighbourGroup",
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
                        ("name", models.CharField(max_length=100)),
                        ("effective_from", models.DateField(blank=True, null=True)),
                        ("effective_to", models.DateField(blank=True, null=True)),
                        ("source", models.CharField(blank=True, max_length=200)),
                        (
                            "members",
                            models.ManyToManyField(
                                related_name="neighbour_groups", to="comparators.authority"
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["effective_from"],
                    },
                ),
                migrations.CreateModel(
                    name="ComparatorValue",
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
                        (
                            "code",
                            models.CharField(
                                help_text="A demand measure's code or a KPI's code.", max_length=40
                            ),
                        ),
                        (
                            "year",
                            models.PositiveSmallIntegerField(
                                help_text="At March of this year, or the financial year ending then."
                            ),
                        ),
                        ("value", opb_portal.core.fields.ExactDecimalField()),
                        ("source", models.CharField(blank=True, max_length=200)),
                        (
                            "authority",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="values",
                                to="comparators.authority",
                            ),
                        ),
                        (
                            "comparator_import",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="comparators.comparatorimport",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["code", "year", "authority"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("code", "authority", "year"),
                                name="one_comparator_value_per_year",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ComparatorChange",
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
                        ("code", models.CharField(max_length=40)),
                        ("year", models.PositiveSmallIntegerField()),
                        (
                            "old_value",
                            opb_portal.core.fields.ExactDecimalField(blank=True, null=True),
                        ),
                        ("new_value", opb_portal.core.fields.ExactDecimalField()),
                        ("old_source", models.CharField(blank=True, max_length=200)),
                        ("new_source", models.CharField(blank=True, max_length=200)),
                        (
                            "authority",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="comparators.authority",
                            ),
                        ),
                        (
                            "comparator_import",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="changes",
                                to="comparators.comparatorimport",
                            ),
                        ),
                        (
                            "group",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="comparators.neighbourgroup",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["comparator_import", "pk"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("authority__isnull", False), ("group__isnull", True)),
                                    models.Q(("authority__isnull", True), ("group__isnull", False)),
                                    _connector="OR",
                                ),
                                name="comparator_change_is_for_an_authority_or_an_average",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="PublishedAverage",
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
                        ("code", models.CharField(max_length=40)),
                        ("year", models.PositiveSmallIntegerField()),
                        ("value", opb_portal.core.fields.ExactDecimalField()),
                        ("source", models.CharField(blank=True, max_length=200)),
                        (
                            "comparator_import",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="comparators.comparatorimport",
                            ),
                        ),
                        (
                            "group",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="averages",
                                to="comparators.neighbourgroup",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["code", "year"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("code", "group", "year"),
                                name="one_published_average_per_year",
                            )
                        ],
                    },
                ),
            ],
        ),
        # Undone by demand's 0006 renaming the tables back (or, without demand, by dropping
        # the app's tables by hand): nothing to do here.
        migrations.RunPython(create_tables_not_handed_over, migrations.RunPython.noop),
    ]
