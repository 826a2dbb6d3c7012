"""One Table class per finance listing; formatting lives in render_<column> methods."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from opb_portal.core.html import rag_badge
from opb_portal.formatting import MISSING, pounds

from .selectors import GroupPosition

# Figures line up on the right, as in a finance report.
RIGHT = {"th": {"class": "text-end"}, "td": {"class": "text-end"}}


def _figures(verbose_name: str) -> tables.Column:
    """A column of figures, aligned right as in a finance report."""
    return tables.Column(verbose_name=verbose_name, empty_values=(), orderable=False, attrs=RIGHT)


SUBTOTAL = {"class": lambda record: "subtotal table-light fw-semibold" if _is_total(record) else ""}


def _is_total(record) -> bool:
    return isinstance(record, GroupPosition)


def variance_words(kind: str, variance) -> str:
    if variance is None or variance == 0:
        return ""
    over = variance > 0
    if kind == "expenditure":
        return "over budget" if over else "under budget"
    if kind == "income":
        return "more than planned" if over else "less than planned"
    return "above target" if over else "below target"


class _MoneyColumns(tables.Table):
    """Budget, actual, forecast, variance and RAG: the columns every money listing shares."""

    budget = _figures("Budget")
    actual_to_date = _figures("Actual to date")
    forecast_outturn = _figures("Forecast outturn")
    variance = _figures("Variance (forecast − budget)")
    status = tables.Column(verbose_name="RAG", empty_values=(), orderable=False)

    class Meta:
        attrs = {"class": "table table-sm align-middle finance-lines"}
        row_attrs = SUBTOTAL
        orderable = False

    def render_budget(self, record):
        return pounds(record.budget)

    def render_actual_to_date(self, record):
        return pounds(record.actual_to_date)

    def render_forecast_outturn(self, record):
        return pounds(record.forecast_outturn)

    def render_variance(self, record):
        if record.variance is None:
            return MISSING
        return format_html(
            '{}<br><small class="text-muted">{}</small>',
            pounds(record.variance, signed=True),
            variance_words(record.kind, record.variance),
        )

    def render_status(self, record):
        # The badge alone: the rule is said once, above the table ("How RAG is set"), and each
        # line's in figures is in the export's "Rule applied" column.
        return rag_badge(record.status)


class FinanceLinesTable(_MoneyColumns):
    """Expenditure and income lines, each group followed by its total."""

    line = tables.Column(verbose_name="Line", accessor="kind", empty_values=(), orderable=False)

    class Meta(_MoneyColumns.Meta):
        sequence = ("line", "budget", "actual_to_date", "forecast_outturn", "variance", "status")

    def render_line(self, record):
        if _is_total(record):
            return format_html("<strong>{} total</strong>", record.label)
        commentary = (
            format_html('<br><small class="commentary">{}</small>', record.commentary)
            if record.commentary
            else ""
        )
        return format_html("<strong>{}</strong> {}{}", record.code, record.name, commentary)


class SavingsTable(_MoneyColumns):
    """The savings tracker: each scheme's target, delivered and forecast savings."""

    scheme = tables.Column(verbose_name="Scheme", accessor="kind", empty_values=(), orderable=False)
    budget = _figures("Target")
    actual_to_date = _figures("Delivered to date")
    forecast_outturn = _figures("Forecast savings")
    variance = _figures("Forecast − target")

    class Meta(_MoneyColumns.Meta):
        sequence = ("scheme", "budget", "actual_to_date", "forecast_outturn", "variance", "status")

    def render_scheme(self, record):
        if _is_total(record):
            return mark_safe("<strong>All schemes</strong>")
        return format_html("<strong>{}</strong> {}", record.code, record.name)


class DriversTable(tables.Table):
    """The cost drivers this month against the plan's assumptions."""

    driver = tables.Column(verbose_name="Cost driver", empty_values=(), orderable=False)
    plan = _figures("Plan")
    value = _figures("This month")
    difference = _figures("Difference (this month − plan)")
    commentary = tables.Column(verbose_name="Commentary", empty_values=(), orderable=False)

    class Meta:
        attrs = {"class": "table table-sm align-middle finance-drivers"}
        orderable = False

    def _figure(self, record, value, *, signed=False):
        if value is None:
            return MISSING
        if record.driver.is_money:
            return pounds(value, signed=signed)
        if record.driver.unit == "%":  # a change in a percentage is in points
            return f"{value:+,} points" if signed else f"{value:,}%"
        return f"{value:+,}" if signed else f"{value:,}"

    def render_driver(self, record):
        return format_html("<strong>{}</strong> {}", record.code, record.name)

    def render_plan(self, record):
        return self._figure(record, record.plan) if record.plan is not None else "No assumption"

    def render_value(self, record):
        return self._figure(record, record.value)

    def render_difference(self, record):
        return self._figure(record, record.difference, signed=True)

    def render_commentary(self, record):
        return record.commentary


class ModelLinesTable(tables.Table):
    """
    The driver model's outturn beside the Trust's forecast, line by line: the difference
    is shown on every line, zero included, and said in words.
    """

    line = tables.Column(verbose_name="Line", empty_values=(), orderable=False)
    trust_forecast = _figures("Trust's forecast")
    outturn = _figures("Model outturn (forecast)")
    difference = _figures("Difference (model − Trust)")
    explanation = tables.Column(verbose_name="Why they differ", empty_values=(), orderable=False)

    class Meta:
        attrs = {"class": "table table-sm align-middle model-lines"}
        row_attrs = {"class": lambda record: "" if record.modelled else "text-muted"}
        orderable = False

    def render_line(self, record):
        how = "modelled" if record.modelled else "the Trust's forecast"
        return format_html(
            "<strong>{}</strong> {}<br><small>{}</small>", record.line.code, record.line.name, how
        )

    def render_trust_forecast(self, record):
        return pounds(record.trust_forecast)

    def render_outturn(self, record):
        return format_html('<span class="forecast fst-italic">{}</span>', pounds(record.outturn))

    def render_difference(self, record):
        return pounds(record.difference, signed=True)

    def render_explanation(self, record):
        return format_html("<small>{}</small>", record.explanation)
