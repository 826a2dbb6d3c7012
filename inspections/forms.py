"""
The Ofsted import's file form (the decision on a preview is the comparators' own form), and
the forms to record an inspection and its recommendations by hand.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from opb_portal.comparators.forms import ComparatorDecisionForm, ComparatorFileForm

from .models import JUDGEMENTS, Grade, Kind

__all__ = [
    "InspectionEditForm",
    "InspectionForm",
    "InspectionsDecisionForm",
    "InspectionsFileForm",
    "RecommendationEditForm",
    "RecommendationForm",
]

InspectionsDecisionForm = ComparatorDecisionForm


class InspectionsFileForm(ComparatorFileForm):
    """Ofsted's management information file, as downloaded: its size judged before it is read."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "Ofsted's management information (.xlsx or .csv)"
        self.fields["file"].help_text = (
            "The file as Ofsted publishes it: a row an inspection or visit, with Local "
            "authority, Inspection type and Inspection start date columns. Up to 10 MB."
        )


# --- recorded by hand ----------------------------------------------------------------------

DATE = forms.DateInput(attrs={"type": "date"})
GRADE_CHOICES = [("", "No judgement"), *Grade.choices]


def _helper(label: str) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.add_input(Submit("save", label))
    return helper


class InspectionEditForm(forms.Form):
    """What a person may correct of an inspection recorded by hand."""

    note = forms.CharField(
        label="Focus or title",
        max_length=200,
        required=False,
        help_text="What it looked at, as the review names it: Front door; Children We Care For "
        "and Care Experienced.",
    )
    end_date = forms.DateField(label="Last day", required=False, widget=DATE)
    month_only = forms.BooleanField(
        label="Only the month is known",
        required=False,
        help_text="Give its first day as the month's first: it reads \u201cMay 2022\u201d.",
    )
    published_on = forms.DateField(label="Report published", required=False, widget=DATE)
    overall = forms.ChoiceField(label=JUDGEMENTS[0][1], choices=GRADE_CHOICES, required=False)
    leaders = forms.ChoiceField(label=JUDGEMENTS[1][1], choices=GRADE_CHOICES, required=False)
    help_and_protection = forms.ChoiceField(
        label=JUDGEMENTS[2][1], choices=GRADE_CHOICES, required=False
    )
    in_care = forms.ChoiceField(label=JUDGEMENTS[3][1], choices=GRADE_CHOICES, required=False)
    care_leavers = forms.ChoiceField(label=JUDGEMENTS[4][1], choices=GRADE_CHOICES, required=False)
    report_url = forms.URLField(
        label="Report's web address",
        max_length=300,
        required=False,
        assume_scheme="https",
        help_text="Ofsted's report, or the review's: https://reports.ofsted.gov.uk/...",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Save the changes")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The last day is before the first.")
        return cleaned


class InspectionForm(InspectionEditForm):
    """An inspection, visit or peer review recorded by hand: its kind and first day too."""

    kind = forms.ChoiceField(label="Kind", choices=Kind.choices)
    start_date = forms.DateField(label="First day", widget=DATE)
    field_order = ["kind", "note", "start_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Record it")


class RecommendationEditForm(forms.Form):
    text = forms.CharField(
        label="Recommendation",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="As the report words it.",
    )
    area = forms.CharField(
        label="Area",
        max_length=200,
        required=False,
        help_text="The service or theme it concerns, if you wish: Leaders and managers.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Save the recommendation")


class RecommendationForm(RecommendationEditForm):
    number = forms.IntegerField(
        label="Number",
        min_value=1,
        max_value=999,
        help_text="Its place in the report's list. It names the recommendation in the actions "
        "log, so it cannot be changed later.",
    )
    field_order = ["number", "text", "area"]
