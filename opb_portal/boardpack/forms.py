"""The one form of the board pack pages: arranging a meeting of either board."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from opb_portal.accounts.models import Role
from opb_portal.core.forms import PeriodField

from .models import Meeting
from .services import pack_readers


class MeetingForm(forms.Form):
    board = forms.ChoiceField(
        label="Board",
        choices=Meeting.Board.choices,
        initial=Meeting.Board.OPB,
        required=False,
        help_text="The Operational Partnership Board meets monthly, the Strategic Partnership "
        "Board quarterly.",
    )
    date = forms.DateField(
        label="Meeting date", widget=forms.DateInput(attrs={"type": "date"}), help_text="YYYY-MM-DD"
    )
    period = PeriodField(
        label="Reporting month",
        required=False,
        help_text="Usually the month before the meeting (left empty, that is what it will be). "
        "Write it as 2025-03, Mar-25 or March 2025.",
    )
    chair = forms.ModelChoiceField(label="Chair", queryset=None, required=False)
    members = forms.ModelMultipleChoiceField(
        label="Members",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The chair is always a member.",
    )

    def clean_board(self) -> str:
        return self.cleaned_data["board"] or Meeting.Board.OPB

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        readers = pack_readers()
        self.fields["members"].queryset = readers
        if user.role == Role.ADMINISTRATOR:
            self.fields["chair"].queryset = readers.filter(
                role__in=[Role.BOARD_MEMBER, Role.ADMINISTRATOR]
            )
            self.fields["chair"].required = True
        else:
            # A board member who arranges a meeting chairs it.
            del self.fields["chair"]
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("save", "Arrange the meeting"))


class AnnualTextForm(forms.Form):
    """One narrative section of the annual review, and the version it was written against."""

    text = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Plain text: a blank line starts a new paragraph, a line starting “- ” "
        "is a point of a list. Each save is kept as a version.",
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("save", "Keep this version"))


class SignOffForm(forms.Form):
    """The draft a board member read and signs off: refused if a later one was circulated."""

    number = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
