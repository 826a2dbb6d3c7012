"""One Table class per workforce listing; formatting lives in render_<column> methods."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from opb_portal import formatting
from opb_portal.core.html import rag_badge

from .models import rounded

NONE = mark_safe('<span class="text-muted">–</span>')


def _number(value, suffix: str = "") -> str:
    return NONE if value is None else f"{value}{suffix}"


class CaseloadTable(tables.Table):
    """Rows are `selectors.Caseload`: one service in the month, against its model."""

    service = tables.Column(verbose_name="Service", empty_values=())
    children = tables.Column(verbose_name="Children held", empty_values=())
    fte = tables.Column(verbose_name="Case-holding FTE", empty_values=())
    average = tables.Column(verbose_name="Average caseload", empty_values=())
    model = tables.Column(verbose_name="Model", accessor="service", empty_values=())
    allowed = tables.Column(
        verbose_name="Model, ASYEs allowed for", accessor="service", empty_values=()
    )
    percent = tables.Column(verbose_name="% of model", accessor="service", empty_values=())
    status = tables.Column(verbose_name="RAG", empty_values=())

    class Meta:
        attrs = {"class": "table table-sm align-middle caseloads"}
        orderable = False
        empty_text = "No service reports caseloads this month."

    def render_service(self, record):
        flag = (
            mark_safe(' <span class="badge text-bg-light border">Illustrative</span>')
            if record.illustrative
            else ""
        )
        return format_html("{}{}", record.service.name, flag)

    def render_children(self, record):
        return NONE if record.children is None else f"{record.children:,}"

    def render_fte(self, record):
        return NONE if record.fte is None else formatting.fte(record.fte)

    def render_average(self, record):
        return _number(record.average)

    def render_model(self, record):
        standard = record.standard
        if standard is None:
            return mark_safe('<span class="text-muted">No model</span>')
        return format_html(
            '{}<br><small class="text-muted">ASYEs {}% fewer</small>',
            standard.average_children,
            standard.asye_reduction,
        )

    def render_allowed(self, record):
        return _number(record.model)

    def render_percent(self, record):
        return _number(rounded(record.percent_of_model, 1), "%")

    def render_status(self, record):
        return rag_badge(record.status)


class WorkforceHistoryTable(tables.Table):
    """Rows are `selectors.HistoryMonth`, newest first: every chart's figures as text."""

    period = tables.Column(verbose_name="Month", empty_values=())
    establishment = tables.Column(verbose_name="Establishment", accessor="period")
    total = tables.Column(verbose_name="Total social workers", accessor="period")
    permanent = tables.Column(verbose_name="Permanent", accessor="period")
    permanent_excl_asye = tables.Column(verbose_name="Permanent excl ASYE", accessor="period")
    asye = tables.Column(verbose_name="ASYEs", accessor="period")
    agency = tables.Column(verbose_name="Agency", accessor="period")
    pct_permanent_excl_asye = tables.Column(verbose_name="% permanent excl ASYE", accessor="period")
    pct_asye = tables.Column(verbose_name="% ASYEs", accessor="period")
    pct_agency = tables.Column(verbose_name="% agency", accessor="period")
    permanent_vacancy_rate = tables.Column(verbose_name="Permanent vacancy rate", accessor="period")
    real_time_vacancy_rate = tables.Column(verbose_name="Real-time vacancy rate", accessor="period")

    class Meta:
        attrs = {"class": "table table-sm align-middle workforce-history"}
        orderable = False

    def render_period(self, record):
        return record.period.short

    def _fte(self, record, attribute):
        figure = getattr(record.month, attribute) if record.month else None
        return NONE if figure is None else formatting.fte(figure)

    def _percent(self, record, code):
        return _number(record.month.published(code), "%") if record.month else NONE

    def render_establishment(self, record):
        return self._fte(record, "establishment_fte")

    def render_total(self, record):
        return self._fte(record, "total_fte")

    def render_permanent(self, record):
        return self._fte(record, "permanent_fte")

    def render_permanent_excl_asye(self, record):
        return self._fte(record, "permanent_excl_asye_fte")

    def render_asye(self, record):
        return self._fte(record, "asye_fte")

    def render_agency(self, record):
        return self._fte(record, "agency_fte")

    def render_pct_permanent_excl_asye(self, record):
        return self._percent(record, "PCT_PERM_EXCL_ASYE")

    def render_pct_asye(self, record):
        if not record.month:
            return NONE
        return format_html(
            "{}% {}", record.month.published("PCT_ASYE"), rag_badge(record.asye_status)
        )

    def render_pct_agency(self, record):
        if not record.month:
            return NONE
        return format_html(
            "{}% {}", record.month.published("PCT_AGENCY"), rag_badge(record.agency_status)
        )

    def render_permanent_vacancy_rate(self, record):
        return self._percent(record, "PERM_VACANCY_RATE")

    def render_real_time_vacancy_rate(self, record):
        return self._percent(record, "RT_VACANCY_RATE")
