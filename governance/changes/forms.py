"""The change control log's forms: a change (recorded, or its correction), agreeing, withdrawing."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from opb_portal.core import subjects
from opb_portal.core.forms import PeriodField
from opb_portal.periods import Period

from ..models import Board, Change

DATE = forms.DateInput(attrs={"type": "date"})


def _helper(label: str) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.add_input(Submit("save", label))
    return helper


class ChangeForm(forms.Form):
    title = forms.CharField(
        label="What changed",
        max_length=300,
        help_text="In the words the annual review uses: “Amendment of KPI 9 (Date of the Fast "
        "Track Change)”.",
    )
    kind = forms.ChoiceField(label="Kind of change", choices=Change.Kind.choices)
    subject = forms.ChoiceField(
        label="What it concerns",
        required=False,
        help_text="For a change to a KPI's thresholds, the KPI: the change is linked to the "
        "KPI's rule that starts in the month it is in force from.",
    )
    in_force_from = PeriodField(
        label="In force from", help_text="The first month it applies to: 2025-04 or April 2025."
    )
    detail = forms.CharField(
        label="Detail", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    agreed_by = forms.ChoiceField(
        label="Agreed by",
        choices=[("", "Not yet agreed (proposed)"), *Board.choices],
        required=False,
    )
    agreed_on = forms.DateField(label="Agreed on", required=False, widget=DATE)

    def __init__(self, *args, submit: str = "Record the change", **kwargs):
        super().__init__(*args, **kwargs)
        offered = [("", "The agreement as a whole"), *subjects.choices(Period.current())]
        # A correction keeps the subject of the change it supersedes, even one no longer
        # offered this month (a KPI of an earlier framework).
        kept = self.initial.get("subject")
        if kept and not any(kept == ref for _, group in offered[1:] for ref, _ in group):
            described = subjects.describe([kept])[kept]
            offered.append(("Kept from the change", [(kept, described.label)]))
        self.fields["subject"].choices = offered
        self.helper = _helper(submit)

    def clean(self):
        data = super().clean()
        if bool(data.get("agreed_by")) != bool(data.get("agreed_on")):
            raise forms.ValidationError(
                "A change agreed names the board and the date; a proposed one names neither."
            )
        return data


class SupersedeForm(ChangeForm):
    reason = forms.CharField(
        label="Why it is superseded", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, submit="Supersede with this correction", **kwargs)


class AgreeForm(forms.Form):
    agreed_by = forms.ChoiceField(label="Agreed by", choices=Board.choices)
    agreed_on = forms.DateField(label="Agreed on", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Record the agreement")


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why it is withdrawn", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Withdraw the change")
