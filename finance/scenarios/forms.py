"""
The scenario form: a name, what it asks, its year, and a formset of changes (driver,
from or by, month, value). Each change is checked as the service checks it
(`services.change_problems`), so a person sees the problem beside its field.
"""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms

from ..models import FinanceYear, ScenarioChange
from . import services

# Blank rows offered under a scenario's changes: the two issue examples need two at most.
EXTRA_ROWS = 3


class ScenarioForm(forms.Form):
    year = forms.ModelChoiceField(
        label="Financial year",
        queryset=FinanceYear.objects.order_by("-start_year"),
        help_text="The year whose deficit the scenario works out.",
        empty_label=None,
    )
    name = forms.CharField(label="Name", max_length=120)
    description = forms.CharField(
        label="What it asks",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the council asks this question (plain text).",
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            # A scenario's changes are judged against its year: it keeps the year it was built in.
            self.fields["year"].disabled = True
        self.helper = FormHelper()
        self.helper.form_tag = False


class ChangeForm(forms.ModelForm):
    class Meta:
        model = ScenarioChange
        fields = ["measure", "how", "month", "value"]
        labels = {"measure": "Driver", "how": "From or by", "month": "Month", "value": "Value"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [("", "Choose a driver")] + [
            (m.value, m.label) for m in services.MODEL_MEASURES
        ]
        self.fields["how"].help_text = ""


class BaseChangeFormSet(forms.BaseFormSet):
    """The changes of one scenario: one a driver, each within the year and after the actuals."""

    def __init__(self, *args, year: FinanceYear | None = None, latest=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.year, self.latest = year, latest

    def changes(self) -> list[ScenarioChange]:
        """The filled rows as unsaved changes, in order."""
        return [
            form.instance
            for form in self.forms
            if form.has_changed() and form.cleaned_data and not self._should_delete_form(form)
        ]

    def clean(self):
        if any(self.errors) or self.year is None:
            return
        seen = set()
        for form in self.forms:
            data = form.cleaned_data
            if not form.has_changed() or not data:
                continue
            if data["measure"] in seen:
                form.add_error("measure", "This driver is changed above: one change a driver.")
            seen.add(data["measure"])
            problems = services.change_problems(
                year=self.year,
                measure=data["measure"],
                month=data["month"],
                value=data["value"],
                latest=self.latest,
            )
            for field, message in problems.items():
                form.add_error(field, message)
        if not seen:
            raise forms.ValidationError("A scenario changes at least one driver.")


ChangeFormSet = forms.formset_factory(
    ChangeForm, formset=BaseChangeFormSet, extra=EXTRA_ROWS, max_num=len(services.MODEL_MEASURES)
)


def change_initial(scenario) -> list[dict]:
    return [
        {"measure": c.measure, "how": c.how, "month": c.month, "value": c.value}
        for c in scenario.changes.all()
    ]
