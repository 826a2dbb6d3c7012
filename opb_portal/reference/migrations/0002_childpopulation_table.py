"""
The child population's table takes this app's name: `kpis_childpopulation` becomes
`reference_childpopulation`, rows, keys and sequence as they were (a rename, not a copy).

Its content type moves too, so the admin's history of the table and any permission given
on it follow the model instead of pointing at a model kpis no longer has.
"""

from django.db import migrations

MODEL = "childpopulation"


def _move_content_type(apps, schema_editor, *, old: str, new: str) -> None:
    content_types = apps.get_model("contenttypes", "ContentType")
    using = schema_editor.connection.alias
    found = content_types.objects.db_manager(using).filter(app_label=old, model=MODEL)
    # Django adds content types after migrating; one may already exist for the new label
    # (a database migrated with an earlier draft): then the old one is left for
    # `remove_stale_contenttypes` rather than guessed over.
    if not content_types.objects.db_manager(using).filter(app_label=new, model=MODEL).exists():
        found.update(app_label=new)


def forwards(apps, schema_editor):
    _move_content_type(apps, schema_editor, old="kpis", new="reference")


def backwards(apps, schema_editor):
    _move_content_type(apps, schema_editor, old="reference", new="kpis")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("kpis", "0005_childpopulation_to_reference"),
        ("reference", "0001_childpopulation_from_kpis"),
    ]

    operations = [
        migrations.AlterModelTable(name="childpopulation", table=None),
        migrations.RunPython(forwards, backwards),
    ]
