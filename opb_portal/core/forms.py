"""Forms every page shares: choosing a reporting month or a financial year."""

from django import forms

from opb_portal.periods import FinancialYear, Period, PeriodError


class MonthInput(forms.TextInput):
    """`<input type="month">`: a month picker where the browser has one, else a text box."""

    input_type = "month"


class PeriodField(forms.CharField):
    """A reporting month as people write it (`2025-03`, `Mar-25`, `March 2025`): a `Period`."""

    def to_python(self, value):
        if isinstance(value, Period):
            return value
        value = super().to_python(value)
        if not value:
            return None
        try:
            return Period.parse(value)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc


class FinancialYearField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return FinancialYear.parse(value)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc


class PeriodForm(forms.Form):
    period = PeriodField(required=False, label="Reporting month")


class YearForm(forms.Form):
    year = FinancialYearField(required=False, label="Financial year")
