"""The forms of the rectification plan pages."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from opb_portal.core.forms import PeriodField

from ..exception_reports.forms import DATE, OwnerFields
from .services import MilestoneText


def _helper(*, action: str = "", submit: str = "", form_tag: bool = True) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.form_tag = form_tag
    if action:
        helper.form_action = action
    if submit:
        helper.add_input(Submit("save", submit))
    return helper


class PlanForm(forms.Form):
    summary = forms.CharField(
        label="What the plan will achieve", widget=forms.Textarea(attrs={"rows": 4})
    )
    reason = forms.CharField(
        label="Why this version",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed to change a plan the council has agreed.",
    )
    seen = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, first: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if first:
            del self.fields["reason"]
        self.helper = _helper(form_tag=False)


class MilestoneForm(OwnerFields):
    what = forms.CharField(label="Milestone", widget=forms.Textarea(attrs={"rows": 2}))
    due = forms.DateField(label="Due by", widget=DATE, help_text="YYYY-MM-DD")

    field_order = ["what", "owner_name", "owner_organisation", "due"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(form_tag=False)

    def milestone(self) -> MilestoneText:
        return MilestoneText(**{name: self.cleaned_data[name] for name in self.field_order})


# Three empty rows to fill; rows left empty are not milestones.
MilestoneFormSet = forms.formset_factory(MilestoneForm, extra=3, max_num=20, validate_max=True)


def milestones_of(formset) -> list[MilestoneText]:
    return [form.milestone() for form in formset if form.has_changed() and form.cleaned_data]


class ProgressForm(forms.Form):
    period = PeriodField(label="Month", help_text="Write it as 2025-03, Mar-25 or March 2025.")
    text = forms.CharField(label="Progress", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(action=action, submit="Add progress")


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label="Outcome",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the plan achieved.",
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(action=action, submit="Close the plan")
