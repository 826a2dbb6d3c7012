"""The audits' forms: an audit or survey, and a figure it measured."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from ..models import Audit

DATE = forms.DateInput(attrs={"type": "date"})


def _helper(label: str) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.add_input(Submit("save", label))
    return helper


class AuditForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=Audit.Kind.choices)
    title = forms.CharField(label="Title", max_length=300)
    theme = forms.CharField(
        label="Theme", max_length=200, help_text="What it looked at: neglect, supervision."
    )
    started = forms.DateField(label="Started", widget=DATE)
    finished = forms.DateField(
        label="Finished", required=False, widget=DATE, help_text="Blank while it is under way."
    )
    sample = forms.CharField(
        label="Sample",
        max_length=300,
        required=False,
        help_text="What it looked at: 120 children's files, 85 carers.",
    )
    findings = forms.CharField(
        label="Findings", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    strengths = forms.CharField(
        label="Areas of strength",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One to a line.",
    )
    development = forms.CharField(
        label="Areas for development",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One to a line.",
    )
    illustrative = forms.BooleanField(
        label="Illustrative (made up for the demonstration, not the Trust's)", required=False
    )

    def __init__(self, *args, submit: str = "Record the audit", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit)

    def clean(self):
        cleaned = super().clean()
        started, finished = cleaned.get("started"), cleaned.get("finished")
        if started and finished and finished < started:
            self.add_error("finished", "An audit cannot finish before it starts.")
        return cleaned


class FigureForm(forms.Form):
    measure = forms.CharField(
        label="Measure",
        max_length=200,
        help_text="The same words each time, so its figures make one line: "
        "Practice Review compliance.",
    )
    as_at = forms.DateField(label="Measured on", widget=DATE)
    percent = forms.DecimalField(
        label="Figure (%)",
        min_value=0,
        max_value=100,
        max_digits=6,
        decimal_places=2,
        help_text="As the audit gave it: 88.5.",
    )

    def __init__(self, *args, measures: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        if measures:
            self.fields["measure"].help_text = "So far: " + "; ".join(measures) + "."
        self.helper = _helper("Record the figure")
