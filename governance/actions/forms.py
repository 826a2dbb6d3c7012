"""The actions log's forms: raising an action, an update on it, closing it."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.urls import reverse

from opb_portal.boardpack.models import Meeting
from opb_portal.core import subjects
from opb_portal.periods import Period

from .services import owners


class OwnerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.organisation})"


def subject_choices(period: Period) -> list:
    return [("", "Not about one figure"), *subjects.choices(period)]


class ActionForm(forms.Form):
    title = forms.CharField(label="Action", max_length=300, help_text="What is to be done.")
    detail = forms.CharField(
        label="Detail", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = OwnerChoice(label="Owner", queryset=None)
    due = forms.DateField(label="Due", widget=forms.DateInput(attrs={"type": "date"}))
    meeting = forms.ModelChoiceField(
        label="Raised at",
        queryset=None,
        required=False,
        empty_label="Not at a meeting",
    )
    subject = forms.ChoiceField(label="About", required=False, choices=())

    def __init__(self, *args, period: Period, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners()
        self.fields["meeting"].queryset = Meeting.objects.order_by("-date")
        self.fields["subject"].choices = subject_choices(period)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("save", "Raise the action"))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("meeting") and not cleaned.get("subject"):
            raise forms.ValidationError(
                "Say which meeting raised the action, or which figure it is about, or both."
            )
        return cleaned


class UpdateForm(forms.Form):
    text = forms.CharField(label="Progress", widget=forms.Textarea(attrs={"rows": 3}))
    due = forms.DateField(
        label="New due date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Only if the date moves; the update says why.",
    )

    def __init__(self, *args, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        if action is not None:
            self.helper.form_action = reverse("governance:action_update", args=[action.pk])
        self.helper.add_input(Submit("save", "Add the update"))


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label="Outcome", widget=forms.Textarea(attrs={"rows": 3}), help_text="What came of it."
    )

    def __init__(self, *args, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        if action is not None:
            self.helper.form_action = reverse("governance:action_close", args=[action.pk])
        self.helper.add_input(Submit("close", "Close the action", css_class="btn-secondary"))
