"""A meeting's forms: an agenda item, an attendee, the minutes."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from opb_portal.accounts.models import Organisation, User

from ..actions.forms import subject_choices
from ..models import Attendee


def _helper(label: str) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.add_input(Submit("save", label))
    return helper


class AgendaItemForm(forms.Form):
    title = forms.CharField(label="Item", max_length=300)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    subject = forms.ChoiceField(label="About", required=False, choices=())

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = subject_choices(meeting.period)
        self.helper = _helper("Add to the agenda")


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.organisation})"


class AttendeeForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    job_title = forms.CharField(
        label="Job title",
        max_length=200,
        help_text="Chief Executive; Director of Children's Services.",
    )
    organisation = forms.ModelChoiceField(label="Organisation", queryset=None)
    attendance = forms.ChoiceField(
        label="Attendance", choices=Attendee.Attendance.choices, widget=forms.RadioSelect
    )
    person = PersonChoice(
        label="Portal account",
        queryset=None,
        required=False,
        empty_label="None: they do not use the portal",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["person"].queryset = (
            User.objects.filter(is_active=True, organisation__isnull=False)
            .select_related("organisation")
            .order_by("last_name", "first_name", "username")
        )
        self.fields["attendance"].initial = Attendee.Attendance.PRESENT
        self.helper = _helper("Record the attendee")


class MinutesForm(forms.Form):
    text = forms.CharField(label="Minutes", widget=forms.Textarea(attrs={"rows": 18}))
    base_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Save as a new version")
