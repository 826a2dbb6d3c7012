"""The Improvement Plan's forms: a plan, a priority, an action, an action's progress."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from opb_portal.periods import FinancialYear, PeriodError

from ..models import ImprovementProgress

DATE = forms.DateInput(attrs={"type": "date"})


def _helper(label: str) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.add_input(Submit("save", label))
    return helper


class PlanForm(forms.Form):
    title = forms.CharField(label="Title", max_length=300)
    summary = forms.CharField(
        label="Summary",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the plan is for, in a paragraph.",
    )
    trust_board_signed_off = forms.DateField(
        label="Signed off by the Trust Board on", required=False, widget=DATE
    )
    spb_signed_off = forms.DateField(
        label="Signed off by the Strategic Partnership Board on", required=False, widget=DATE
    )

    def __init__(self, *args, submit: str = "Save the plan", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit)


class NewPlanForm(PlanForm):
    year = forms.CharField(
        label="Financial year", max_length=9, help_text="The year the plan covers: 2025-26."
    )
    field_order = ["year", "title", "summary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, submit="Add the plan", **kwargs)

    def clean_year(self) -> int:
        try:
            return FinancialYear.parse(self.cleaned_data["year"]).start_year
        except PeriodError as wrong:
            raise forms.ValidationError(str(wrong)) from wrong


class PriorityForm(forms.Form):
    number = forms.IntegerField(label="Number", min_value=1, max_value=99)
    title = forms.CharField(label="Title", max_length=200, help_text="People, Practice, ...")
    ambition = forms.CharField(
        label="Ambition statement",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="As the plan writes it, without the quotation marks.",
    )
    sponsor = forms.CharField(
        label="Sponsor",
        max_length=200,
        help_text="The executive director who oversees it: a name and a post.",
    )

    def __init__(self, *args, submit: str = "Save the priority", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit)


class ActionForm(forms.Form):
    number = forms.IntegerField(
        label="Number", min_value=1, max_value=99, help_text="3 for action 2.3 of priority 2."
    )
    title = forms.CharField(
        label="Action", max_length=300, help_text="What is to be done, in a sentence."
    )
    lead = forms.CharField(label="Lead", max_length=200, help_text="A name or a post.")
    milestone = forms.CharField(label="Milestone", max_length=300, help_text="What shows it done.")
    due = forms.DateField(label="Due", widget=DATE)

    def __init__(self, *args, submit: str = "Save the action", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit)


class ProgressForm(forms.Form):
    as_at = forms.DateField(label="As at", widget=DATE, help_text="The day it stood there.")
    status = forms.ChoiceField(
        label="Status", choices=ImprovementProgress.Status.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Why",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text="What was done, what is in the way.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Record the progress")
