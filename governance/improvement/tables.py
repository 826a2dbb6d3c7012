"""A priority's actions, and an action's progress history, as tables."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from opb_portal.core.html import paragraphs

from . import selectors


def _date(day) -> str:
    return f"{day.day} {day:%B %Y}"


class ActionTable(tables.Table):
    """One row an action (`selectors.ActionRow`): its latest progress as a badge with the reason."""

    reference = tables.Column(verbose_name="Ref.", accessor="action__reference")
    title = tables.Column(verbose_name="Action", accessor="action__title")
    lead = tables.Column(verbose_name="Lead", accessor="action__lead")
    milestone = tables.Column(verbose_name="Milestone", accessor="action__milestone")
    due = tables.Column(verbose_name="Due", accessor="action__due")
    progress = tables.Column(
        verbose_name="Progress", accessor="progress", default="Not yet reported"
    )

    class Meta:
        attrs = {"class": "table table-sm align-top"}
        orderable = False
        empty_text = "No action is recorded for this priority."

    def render_title(self, record):
        url = reverse("governance:improvement_action", args=[record.action.pk])
        return format_html('<a href="{}">{}</a>', url, record.action.title)

    def render_due(self, record):
        if record.overdue:
            return format_html(
                '{} <strong class="text-danger">Overdue</strong>', _date(record.action.due)
            )
        return _date(record.action.due)

    def render_progress(self, record):
        progress = record.progress
        return format_html(
            '{}<br><span class="small">{}</span><br><span class="small text-muted">As at {}</span>',
            selectors.badge(progress.status),
            progress.reason,
            _date(progress.as_at),
        )


class ProgressTable(tables.Table):
    """An action's progress, latest first; every update is kept."""

    as_at = tables.Column(verbose_name="As at")
    status = tables.Column(verbose_name="Status")
    reason = tables.Column(verbose_name="Why")
    recorded = tables.Column(verbose_name="Recorded", accessor="recorded_at")

    class Meta:
        attrs = {"class": "table table-sm align-top"}
        orderable = False
        empty_text = "No progress is recorded yet."

    def render_as_at(self, value):
        return _date(value)

    def render_status(self, record):
        return selectors.badge(record.status)

    def render_reason(self, value):
        return paragraphs(value)

    def render_recorded(self, record):
        return f"{_date(record.recorded_at)} by {record.recorded_by}"
