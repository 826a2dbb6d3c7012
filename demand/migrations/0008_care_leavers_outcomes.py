"""
The care leavers' outcomes (aged 19 to 21: in touch, in education, employment or training,
in suitable accommodation), as the DfE publishes them for the year to 31 March: measures
the activity return asks for in March (`yearly`), under the codes the shipped mappings of
the DfE's care leavers file already store comparators under (comparators 0004). And the
mark of a demonstration figure the Trust never published (`illustrative`).

The measures are written here, frozen, so production has them; a measure of the same code
already there is left as it is. Undone, the rows stay: they may hold figures by now.
"""

from django.db import migrations, models

# (code, title, order): percentages over the year to 31 March, to one place, more is better.
CARE_LEAVERS = [
    ("care_leavers_in_touch", "Care leavers aged 19 to 21 in touch with the Trust", 10),
    (
        "care_leavers_eet",
        "Care leavers aged 19 to 21 in education, employment or training",
        11,
    ),
    (
        "care_leavers_suitable_accommodation",
        "Care leavers aged 19 to 21 in suitable accommodation",
        12,
    ),
]


def add_measures(apps, schema_editor):
    Measure = apps.get_model("demand", "Measure")
    for code, title, order in CARE_LEAVERS:
        Measure.objects.get_or_create(
            code=code,
            defaults={
                "title": title,
                "group": "care",
                "unit": "percent",
                "kind": "total",
                "decimal_places": 1,
                "polarity": "higher_is_better",
                "yearly": True,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("demand", "0007_months_as_periods"),
    ]

    operations = [
        migrations.AddField(
            model_name="measure",
            name="yearly",
            field=models.BooleanField(
                default=False,
                help_text="Given once a year, for the year to 31 March: the activity return asks "
                "for it in March only.",
            ),
        ),
        migrations.AddField(
            model_name="measurevalue",
            name="illustrative",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(add_measures, migrations.RunPython.noop),
    ]
