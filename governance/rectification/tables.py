"""One Table class per listing of rectification plans; formatting in render_<column> methods."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html


class PlanTable(tables.Table):
    """Every plan, open ones first: its figure, since when, its state and latest progress."""

    subject = tables.Column(verbose_name="Figure", empty_values=())
    period = tables.Column(verbose_name="Escalated in")
    status = tables.Column(verbose_name="State", empty_values=())
    progress = tables.Column(verbose_name="Latest progress", empty_values=())

    class Meta:
        attrs = {"class": "table table-sm align-middle"}
        orderable = False
        empty_text = "No rectification plan has been asked for."

    def render_subject(self, record):
        url = reverse("governance:plan", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, record.described.label)

    def render_period(self, value):
        return value.long

    def render_status(self, record):
        if record.closed_at:
            return format_html(
                "Closed on {} by {}", f"{record.closed_at:%-d %B %Y}", record.closed_by
            )
        return record.get_status_display()

    def render_progress(self, record):
        entries = list(record.progress.all())
        if not entries:
            return "None yet"
        latest = entries[-1]
        return format_html("{}: {}", latest.period.long, latest.text)
