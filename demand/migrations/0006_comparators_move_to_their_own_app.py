"""
The comparator store moves to the shared app `opb_portal.comparators`, every row kept.

Its six tables are renamed to the new app's names (AlterModelTable also renames the
neighbour groups' members table), their content types follow (admin history and
permissions keep pointing at them), and the models leave demand's state. Runs before
comparators' 0001, which declares the same models over the renamed tables. Reversed,
the tables are renamed back.
"""

from django.db import migrations

# Demand's model -> the table it becomes (the comparators app's default names).
MOVED = {
    "authority": "comparators_authority",
    "neighbourgroup": "comparators_neighbourgroup",
    "comparatorimport": "comparators_comparatorimport",
    "comparatorvalue": "comparators_comparatorvalue",
    "publishedaverage": "comparators_publishedaverage",
    "comparatorchange": "comparators_comparatorchange",
}


def _move_content_types(apps, schema_editor, *, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    found = ContentType.objects.using(schema_editor.connection.alias)
    for model in MOVED:
        # A content type already made for the target (only if its app ran before) is kept.
        if not found.filter(app_label=target, model=model).exists():
            found.filter(app_label=source, model=model).update(app_label=target)


def content_types_to_comparators(apps, schema_editor):
    _move_content_types(apps, schema_editor, source="demand", target="comparators")


def content_types_to_demand(apps, schema_editor):
    _move_content_types(apps, schema_editor, source="comparators", target="demand")


class Migration(migrations.Migration):
    dependencies = [
        ("demand", "0005_measure_decimal_places"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    run_before = [("comparators", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name=model, table=table)
                for model, table in MOVED.items()
            ],
        ),
        migrations.RunPython(content_types_to_comparators, content_types_to_demand),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                # Those that refer to others first.
                migrations.DeleteModel(name="ComparatorChange"),
                migrations.DeleteModel(name="ComparatorValue"),
                migrations.DeleteModel(name="PublishedAverage"),
                migrations.DeleteModel(name="NeighbourGroup"),
                migrations.DeleteModel(name="ComparatorImport"),
                migrations.DeleteModel(name="Authority"),
            ],
        ),
    ]
