"""The reports pages' forms: a new report, a section's text, a layout, a due in the plan."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from opb_portal.accounts.models import Role, User

from . import language
from .models import Kind, Layout

LANGUAGE_HELP = (
    "Paragraphs are separated by a blank line; a line starting “- ” is a bullet; a line "
    "“| a | b |” is a table row (the first row its headings); {prefix.name} is a figure, "
    "written with a numbered source note (a figure that is a table, on a line alone, is "
    "written as a table). Other braces stay as written."
)


def _helper(label: str) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.add_input(Submit("save", label))
    return helper


class DateInput(forms.DateInput):
    input_type = "date"


class ReportForm(forms.Form):
    layout = forms.ModelChoiceField(
        label="Layout", queryset=Layout.objects.filter(in_use=True), empty_label=None
    )
    meeting_date = forms.DateField(label="Meeting date", widget=DateInput, help_text="YYYY-MM-DD")
    figures_at = forms.DateField(
        label="Figures as at",
        widget=DateInput,
        required=False,
        help_text="Left empty: the last quarter's end at least 8 weeks before the meeting.",
    )
    title = forms.CharField(
        label="Title", max_length=300, required=False, help_text="Left empty: the layout's name."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Draft the report")


class SectionForm(forms.Form):
    body = forms.CharField(
        label="Text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=LANGUAGE_HELP + " Each save is kept as a version.",
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Keep this version")


class LayoutForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of report", choices=Kind.choices)
    name = forms.CharField(label="Name", max_length=200)
    heading = forms.CharField(label="Heading", max_length=300)
    front_matter = forms.CharField(
        label="Front matter",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One “Label: text” a line (Subject, Director, Contact Officer); "
        "{prefix.name} is a figure.",
    )
    in_use = forms.BooleanField(label="Offered for new reports", required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Keep the layout")


class LayoutSectionForm(forms.Form):
    heading = forms.CharField(label="Heading", max_length=200, help_text="1 Recommendations")
    body = forms.CharField(
        label="Text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=LANGUAGE_HELP,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Keep the section")


class DueForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of report", choices=Kind.choices)
    title = forms.CharField(label="Title", max_length=300)
    due = forms.DateField(label="Due", widget=DateInput, help_text="YYYY-MM-DD")
    author = forms.ModelChoiceField(
        label="Author",
        queryset=User.objects.filter(
            is_active=True, role__in=[Role.REVIEWER, Role.ADMINISTRATOR]
        ).order_by("username"),
        help_text="Reminded 28 and 7 days before, and when it is overdue.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Keep in the forward plan")


# The layout language's rules, as the layout edit page shows them.
RULES = language.__doc__
