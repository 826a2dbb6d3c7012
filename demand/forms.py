"""
The demand pages' forms: the benchmark page's year (a calendar year whose March the
figures describe). The comparator import's forms are the comparators app's.
"""

from django import forms

from opb_portal.comparators.models import FIRST_YEAR

LAST_YEAR = 2100


class BenchmarkYearForm(forms.Form):
    year = forms.IntegerField(
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        label="Year (at March, or the financial year ending then)",
    )


def year_error(form: BenchmarkYearForm) -> str:
    return form.errors["year"][0] if "year" in form.errors else ""
