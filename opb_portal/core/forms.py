"""Forms every page shares: choosing a reporting month or a financial year."""

from django import forms

from opb_portal.periods import FinancialYear, Period, PeriodError


class PeriodField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
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
