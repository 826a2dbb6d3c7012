"""
How a figure's year is worded where it was published: at March ("March 2024"), or the
financial year to then ("2023-24"). Every stored figure was quoted "March <year>", so
that is every existing row's value.
"""

from django.db import migrations, models


def _field():
    return models.CharField(
        choices=[("at_march", "At March"), ("financial_year", "Financial year to March")],
        default="at_march",
        help_text="How the publication words the year: at March, or the financial year to then.",
        max_length=20,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("comparators", "0001_initial"),
    ]

    operations = [
        migrations.AddField(model_name="comparatorvalue", name="year_basis", field=_field()),
        migrations.AddField(model_name="publishedaverage", name="year_basis", field=_field()),
    ]
