"""The audits and surveys as a table: one row an audit, with its latest figure."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from .selectors import month, written


class AuditTable(tables.Table):
    title = tables.Column(verbose_name="Audit or survey", accessor="audit__title")
    kind = tables.Column(verbose_name="Kind", accessor="audit")
    theme = tables.Column(verbose_name="Theme", accessor="audit__theme")
    dates = tables.Column(verbose_name="Dates", accessor="audit", empty_values=())
    sample = tables.Column(verbose_name="Sample", accessor="audit__sample", default="–")
    latest = tables.Column(verbose_name="Latest figure", accessor="latest", default="None yet")

    class Meta:
        attrs = {"class": "table table-sm align-top"}
        orderable = False
        empty_text = "No audit or survey is recorded."

    def render_title(self, record):
        url = reverse("governance:audit", args=[record.audit.pk])
        marked = " (illustrative)" if record.audit.illustrative else ""
        return format_html('<a href="{}">{}</a>{}', url, record.audit.title, marked)

    def render_kind(self, value):
        return value.get_kind_display()

    def render_dates(self, value):
        until = month(value.finished) if value.finished else "under way"
        return f"{month(value.started)} to {until}"

    def render_latest(self, value):
        return f"{value.measure}: {written(value.percent)} ({month(value.as_at)})"
