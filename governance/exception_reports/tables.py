"""One Table class per listing of exception reports; formatting in render_<column> methods."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from opb_portal import rag
from opb_portal.core.html import rag_badge


class DueTable(tables.Table):
    """A month's figures off track: what each needs, and the report and plan on it."""

    subject = tables.Column(verbose_name="Figure", empty_values=())
    status = tables.Column(verbose_name="RAG", accessor="item", empty_values=())
    report = tables.Column(verbose_name="Exception report", empty_values=())
    plan = tables.Column(verbose_name="Rectification plan", empty_values=())

    class Meta:
        attrs = {"class": "table table-sm align-middle"}
        orderable = False
        empty_text = "No figure is off track this month."

    def render_subject(self, record):
        subject = record.subject
        name = (
            format_html('<a href="{}">{}</a>', subject.url, subject.label)
            if subject.url
            else subject.label
        )
        if record.item is not None and record.item.value:
            return format_html("{}<br><small>{}</small>", name, record.item.value)
        return name

    def render_status(self, record):
        if record.item is None:
            return "No longer off track"
        badge = rag_badge(rag.Status(record.item.status))
        if record.item.escalated:
            return format_html('{} <strong class="text-danger">Escalated</strong>', badge)
        return badge

    def render_report(self, record):
        words = record.state
        if record.missing:
            words = format_html("<strong>{}</strong>: due before the pack is issued", words)
        return format_html('<a href="{}">{}</a>', record.url, words)

    def render_plan(self, record):
        if record.plan is not None:
            url = reverse("governance:plan", args=[record.plan.pk])
            return format_html('<a href="{}">{}</a>', url, record.plan.get_status_display())
        if record.plan_due:
            url = reverse("governance:plan_new", args=[record.period, record.subject.ref])
            return format_html('<a href="{}"><strong>{}</strong></a>', url, "Due, not yet written")
        return "–"
