"""One Table class per KPI listing; formatting lives in render_<column> methods."""

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

from opb_portal import formatting
from opb_portal.charts import sparkline
from opb_portal.core.html import rag_badge
from opb_portal.rag import Status
from opb_portal.submissions.figures import UNAPPROVED
from opb_portal.submissions.models import EXPLAINED_AT_SUBMISSION

# The figures whose commentary the scorecard shows: those the board asks about.
NEEDS_WORDS = (Status.RED, Status.AMBER)
NO_OUTLOOK = "Not enough history"
# A forecast's mark: a hollow, dashed point (as on the charts) and the word for a screen reader.
FORECAST_MARK = mark_safe(
    '<span class="forecast-mark" aria-hidden="true"></span>'
    '<span class="visually-hidden">Forecast: </span>'
)


def kpi_link(kpi) -> str:
    url = reverse("kpis:detail", args=[kpi.framework.code, kpi.code])
    return format_html('<a href="{}"><strong>{}</strong></a><br>{}', url, kpi.code, kpi.title)


# A column of sentences: on a phone it keeps room to be read in its table's scroll region,
# rather than one word a line making every row a screen tall (static/css/portal.css).
PROSE = {"td": {"class": "prose-cell"}}


class ScorecardTable(tables.Table):
    kpi = tables.Column(verbose_name="KPI", empty_values=(), orderable=False)
    # Columns the row has no attribute for point at `kpi`: django-tables2 looks the
    # name up before calling render_<column>, and a failed lookup builds the
    # row's whole repr for its error message (tens of milliseconds per page).
    value = tables.Column(verbose_name="Value", accessor="kpi", orderable=False)
    status = tables.Column(verbose_name="RAG", empty_values=(), orderable=False)
    rule = tables.Column(verbose_name="Rule applied", accessor="kpi", orderable=False)
    change = tables.Column(verbose_name="Change on last month", empty_values=(), orderable=False)
    trend = tables.Column(verbose_name="Last 12 months", accessor="kpi", orderable=False)
    outlook = tables.Column(verbose_name="Outlook", accessor="kpi", orderable=False)
    consecutive_red = tables.Column(verbose_name="Months red", empty_values=(), orderable=False)
    comparators = tables.Column(verbose_name="Comparators", empty_values=(), orderable=False)
    commentary = tables.Column(
        verbose_name="The Trust's commentary", accessor="kpi", orderable=False, attrs=PROSE
    )

    class Meta:
        attrs = {"class": "table table-sm align-middle scorecard"}
        orderable = False

    def __init__(self, rows, *, outlooks=None, **kwargs):
        """`outlooks`: each KPI's `kpis.outlook.Outlook` by its pk (`kpis.outlook.outlooks`)."""
        super().__init__(rows, **kwargs)
        self.outlooks = outlooks or {}

    def render_kpi(self, record):
        return kpi_link(record.kpi)

    def render_value(self, record):
        value = record.month.value
        shown = (
            format_html(
                '<span class="fs-6 fw-semibold">{}</span><br><small class="text-muted">{}</small>',
                record.kpi.format_value(value.value),
                record.kpi.get_unit_display(),
            )
            if value
            else mark_safe('<span class="text-muted">No approved figure</span>')
        )
        if value and value.illustrative:
            shown += mark_safe('<br><span class="badge text-bg-light border">Illustrative</span>')
        if record.unapproved:
            shown += format_html(
                '<div class="unapproved mt-1"><strong>{}:</strong> {} {}</div>',
                UNAPPROVED,
                record.kpi.format_value(record.unapproved.number),
                rag_badge(record.unapproved.status),
            )
        return shown

    def render_status(self, record):
        grace = (
            mark_safe('<br><small class="text-muted">In grace</small>')
            if record.month.in_grace
            else ""
        )
        return format_html("{}{}", rag_badge(record.status), grace)

    def render_rule(self, record):
        rule = record.month.rule
        if rule is None:
            return "No rule"
        # One line: the green, amber and red zones are on the KPI's own page, a click away.
        return format_html('<small class="text-nowrap">Target {}</small>', rule.target())

    def render_change(self, record):
        return render_to_string("kpis/partials/change.html", {"row": record})

    def render_trend(self, record):
        months = record.sparkline
        return sparkline(
            [m.number for m in months],
            title=f"{record.kpi.code}, last {len(months)} months",
            statuses=[m.status.value if m.value else None for m in months],
        )

    def render_outlook(self, record):
        """The outlook's signal, marked as a forecast, linking to the KPI page's section."""
        outlook = self.outlooks.get(record.kpi.pk)
        if outlook is None:
            return format_html('<small class="text-muted">{}</small>', NO_OUTLOOK)
        url = reverse("kpis:detail", args=[record.kpi.framework.code, record.kpi.code])
        return format_html(
            '<a class="outlook forecast" href="{}#looking-ahead">{}{}</a>',
            url,
            FORECAST_MARK,
            outlook.signal,
        )

    def render_consecutive_red(self, record):
        if record.escalated:
            return format_html(
                '<strong class="text-danger">{} — exception</strong>', record.consecutive_red
            )
        return record.consecutive_red

    def render_comparators(self, record):
        if not record.comparators:
            return "–"
        return render_to_string("kpis/partials/comparators.html", {"row": record})

    def render_commentary(self, record):
        """The Trust's words on an amber or red figure (and on the Trust's own unapproved one)."""
        shown = mark_safe("")  # what follows is built with format_html
        value = record.month.value
        if record.status in NEEDS_WORDS:
            text = value.commentary if value else ""
            shown = (
                format_html('<small class="commentary">{}</small>', text)
                if text
                else mark_safe('<small class="text-muted">None given</small>')
            )
        beside = record.unapproved
        if (
            beside is not None
            and beside.status in NEEDS_WORDS
            and beside.value.commentary
            and beside.value.commentary != (value.commentary if value else "")
        ):
            shown += format_html(
                '<div class="unapproved mt-1"><strong>{}:</strong> <small>{}</small></div>',
                UNAPPROVED,
                beside.value.commentary,
            )
        return shown or "–"


def forecast_badge(status: Status) -> str:
    """The colour a forecast month would be: the RAG word and shape, hollow and italic."""
    return format_html(
        '<span class="rag rag-{} forecast"><span class="rag-shape" aria-hidden="true"></span>'
        "Would be {}</span>",
        status.value,
        status.label.lower(),
    )


def chance(value: float) -> str:
    """A chance as a whole percentage: `20%`."""
    return formatting.percent(round(value * 100), 0)


class LookingAheadTable(tables.Table):
    """The months ahead of a KPI's outlook: every cell a forecast, never a figure."""

    period = tables.Column(verbose_name="Month", orderable=False)
    value = tables.Column(verbose_name="Forecast", orderable=False)
    interval = tables.Column(verbose_name="80% interval", accessor="value", orderable=False)
    red = tables.Column(verbose_name="Chance red", orderable=False)
    status = tables.Column(verbose_name="Colour it would be", orderable=False)

    class Meta:
        attrs = {"class": "table table-sm align-middle forecast-table"}
        row_attrs = {"class": "forecast"}
        orderable = False

    def __init__(self, steps, *, kpi, **kwargs):
        super().__init__(steps, **kwargs)
        self.kpi = kpi

    def render_period(self, record):
        return record.period.long

    def render_value(self, record):
        return format_html("{}{}", FORECAST_MARK, self.kpi.format_value(record.value))

    def render_interval(self, record):
        fmt = self.kpi.format_value
        return f"{fmt(record.lower)} to {fmt(record.upper)}"

    def render_red(self, record):
        return chance(record.red)

    def render_status(self, record):
        return forecast_badge(record.status)


class EarlierForecastsTable(tables.Table):
    """How earlier forecasts did: each one-month forecast beside the figure that came."""

    period = tables.Column(verbose_name="Month", orderable=False)
    forecast = tables.Column(verbose_name="Forecast", orderable=False)
    interval = tables.Column(verbose_name="80% interval", accessor="forecast", orderable=False)
    actual = tables.Column(verbose_name="Actual", orderable=False)
    within = tables.Column(verbose_name="Inside the interval?", orderable=False)
    made_from = tables.Column(verbose_name="Made from figures to", orderable=False)

    class Meta:
        attrs = {"class": "table table-sm align-middle earlier-forecasts"}
        orderable = False

    def __init__(self, checks, *, kpi, **kwargs):
        super().__init__(checks, **kwargs)
        self.kpi = kpi

    def render_period(self, record):
        return record.period.long

    def render_made_from(self, record):
        return record.made_from.long

    def render_forecast(self, record):
        return format_html(
            '<span class="forecast">{}{}</span>',
            FORECAST_MARK,
            self.kpi.format_value(record.forecast),
        )

    def render_interval(self, record):
        fmt = self.kpi.format_value
        return f"{fmt(record.lower)} to {fmt(record.upper)}"

    def render_actual(self, record):
        return self.kpi.format_value(record.actual)

    def render_within(self, record):
        if record.within:
            return "Yes"
        side = "above" if record.actual > record.upper else "below"
        return f"No: {side} it"


class YearSummaryTable(tables.Table):
    kpi = tables.Column(verbose_name="KPI", empty_values=(), orderable=False)
    green = tables.Column(verbose_name="Green", orderable=False)
    amber = tables.Column(verbose_name="Amber", orderable=False)
    red = tables.Column(verbose_name="Red", orderable=False)
    missing = tables.Column(verbose_name="No figure", orderable=False)
    minimum = tables.Column(verbose_name="Lowest", empty_values=(), orderable=False)
    maximum = tables.Column(verbose_name="Highest", empty_values=(), orderable=False)
    mean = tables.Column(verbose_name="Mean", empty_values=(), orderable=False)
    sentence = tables.Column(
        verbose_name="The year in a sentence", empty_values=(), orderable=False
    )

    class Meta:
        attrs = {"class": "table table-sm align-middle"}
        orderable = False

    def render_kpi(self, record):
        return kpi_link(record.kpi)

    def _month(self, record, month):
        if month is None:
            return "–"
        return format_html(
            "{}<br><small>{}</small>", record.kpi.format_value(month.number), month.period.short
        )

    def render_minimum(self, record):
        return self._month(record, record.minimum)

    def render_maximum(self, record):
        return self._month(record, record.maximum)

    def render_mean(self, record):
        return record.kpi.format_value(record.mean)

    def render_sentence(self, record):
        return record.sentence()


class KpiHistoryTable(tables.Table):
    period = tables.Column(verbose_name="Month", empty_values=(), orderable=False)
    value = tables.Column(verbose_name="Value", empty_values=(), orderable=False)
    numerator = tables.Column(verbose_name="Numerator", accessor="period", orderable=False)
    denominator = tables.Column(verbose_name="Denominator", accessor="period", orderable=False)
    status = tables.Column(verbose_name="RAG", empty_values=(), orderable=False)
    rule = tables.Column(verbose_name="Rule applied", empty_values=(), orderable=False, attrs=PROSE)
    commentary = tables.Column(
        verbose_name="Commentary", accessor="period", orderable=False, attrs=PROSE
    )

    class Meta:
        attrs = {"class": "table table-sm align-middle"}
        orderable = False

    def render_period(self, record):
        return record.period.short

    def render_value(self, record):
        if record.value is None:
            return "–"
        flag = " (illustrative)" if record.value.illustrative else ""
        return f"{record.value.kpi.format_value(record.number)}{flag}"

    def render_numerator(self, record):
        # A count of children (or of staff), grouped: `86,835`.
        return formatting.as_given(record.value.numerator if record.value else None)

    def render_denominator(self, record):
        return formatting.as_given(record.value.denominator if record.value else None)

    def render_status(self, record):
        grace = " (grace)" if record.in_grace else ""
        return format_html("{}{}", rag_badge(record.status), grace)

    def render_rule(self, record):
        return (
            format_html("<small>{}</small>", record.rule.describe()) if record.rule else "No rule"
        )

    def render_commentary(self, record):
        value = record.value
        if value is None or not value.commentary:
            return ""
        return format_html(
            '{}<br><small class="text-muted">{}</small>', value.commentary, given_with(value)
        )


def given_with(value) -> str:
    """Which version of the KPI return a figure and its commentary came with: who, when."""
    version = value.version
    if version is None:  # loaded before returns kept versions
        return "Given before the portal kept versions"
    given = "Given at submission" if version.reason == EXPLAINED_AT_SUBMISSION else "From"
    return (
        f"{given}: version {version.number} of the KPI return, by {version.created_by}, "
        f"{date_format(localtime(version.created_at), 'j M Y')}"
    )
