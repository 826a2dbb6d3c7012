"""The risk register's forms: a new risk with its first rating, a review, closing a risk."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from opb_portal.core import subjects
from opb_portal.periods import Period

ONE_TO_FIVE = [(n, str(n)) for n in range(1, 6)]


def _helper(label: str) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.add_input(Submit("save", label))
    return helper


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(
        label="Reviewed on", widget=forms.DateInput(attrs={"type": "date"})
    )
    likelihood = forms.TypedChoiceField(
        label="Likelihood", choices=ONE_TO_FIVE, coerce=int, help_text="1 rare to 5 almost certain."
    )
    impact = forms.TypedChoiceField(
        label="Impact", choices=ONE_TO_FIVE, coerce=int, help_text="1 negligible to 5 severe."
    )
    mitigations = forms.CharField(label="Mitigations", widget=forms.Textarea(attrs={"rows": 4}))
    note = forms.CharField(
        label="What changed since the last review",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, submit: str = "Record the review", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit)


class RiskForm(ReviewForm):
    title = forms.CharField(label="Risk", max_length=300)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.CharField(
        label="Owner", max_length=200, help_text="A post and organisation, or a name."
    )
    subjects = forms.MultipleChoiceField(
        label="What it concerns",
        required=False,
        help_text="KPIs, finance lines, workforce measures; hold Ctrl to choose several.",
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    field_order = ["title", "description", "owner", "subjects"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, submit="Add the risk", **kwargs)
        self.fields["subjects"].choices = subjects.choices(Period.current())


class CloseForm(forms.Form):
    reason = forms.CharField(
        label="Why it is closed", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Close the risk")
