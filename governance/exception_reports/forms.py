"""The forms of the exception report pages: writing a report, and the council's review."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from opb_portal.accounts.models import Organisation

DATE = forms.DateInput(attrs={"type": "date"})


class OwnerFields(forms.Form):
    owner_name = forms.CharField(
        label="Owner", max_length=200, help_text="The person who answers for it, with their role."
    )
    owner_organisation = forms.ModelChoiceField(
        label="Owner's organisation", queryset=Organisation.objects.all(), empty_label=None
    )


class ExceptionReportForm(OwnerFields):
    cause = forms.CharField(label="Cause", widget=forms.Textarea(attrs={"rows": 4}))
    action_taken = forms.CharField(
        label="What is being done", widget=forms.Textarea(attrs={"rows": 4})
    )
    back_on_target = forms.DateField(
        label="Expected back on target by", widget=DATE, help_text="YYYY-MM-DD"
    )
    reason = forms.CharField(
        label="Why this version",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed to revise a report the council has accepted.",
    )
    # The version the writer started from: a report someone changed since is not overwritten.
    seen = forms.IntegerField(required=False, widget=forms.HiddenInput)

    field_order = [
        "cause",
        "action_taken",
        "owner_name",
        "owner_organisation",
        "back_on_target",
        "reason",
    ]

    def __init__(self, *args, first: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if first:
            del self.fields["reason"]
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("save", "Send to the council"))


class ReviewForm(forms.Form):
    """Accept what was written, or ask for more (saying what)."""

    decision = forms.ChoiceField(
        choices=[("accept", "Accept"), ("more", "Ask for more")], widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What more the council needs (required to ask for more).",
    )  # fmt: skip
    seen = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, action: str, accept_label: str = "Accept", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [("accept", accept_label), ("more", "Ask for more")]
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_action = action
        self.helper.add_input(Submit("review", "Record the decision"))

    @property
    def accept(self) -> bool:
        return self.cleaned_data["decision"] == "accept"
