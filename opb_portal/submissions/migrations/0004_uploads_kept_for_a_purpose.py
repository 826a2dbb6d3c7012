"""
Staged uploads and problem lists are kept for a `purpose`, not a `domain`: the same
flow serves a return's workbook ("kpis") and a comparator file ("comparators").
A rename: every row keeps its value.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0003_kept_copy_of_uploads_and_retention"),
    ]

    operations = [
        migrations.RenameField(model_name="stagedupload", old_name="domain", new_name="purpose"),
        migrations.RenameField(model_name="problemlist", old_name="domain", new_name="purpose"),
    ]
