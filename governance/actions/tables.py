"""The actions log as a table: overdue first, each with its owner's organisation."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.timezone import localtime

OVERDUE = '<span class="rag rag-red"><span class="rag-shape" aria-hidden="true"></span>{}</span>'


def overdue_badge():
    """Overdue as a word, a colour and a shape (the red diamond): never colour alone."""
    return format_html(OVERDUE, "Overdue")


class ActionTable(tables.Table):
    """Rows are `selectors.Row`: the action, its subject described, overdue or not."""

    reference = tables.Column(verbose_name="Action", accessor="action__pk")
    title = tables.Column(verbose_name="What", accessor="action__title")
    about = tables.Column(verbose_name="About", accessor="subject", default="")
    owner = tables.Column(verbose_name="Owner", accessor="action__owner")
    due = tables.Column(verbose_name="Due", accessor="action__due")
    status = tables.Column(verbose_name="Status", accessor="action__status")
    raised = tables.Column(verbose_name="Raised", accessor="action__raised_at")

    class Meta:
        attrs = {"class": "table table-sm align-middle"}
        orderable = False
        empty_text = "No action is recorded."

    def render_reference(self, record):
        url = reverse("governance:action", args=[record.action.pk])
        return format_html('<a href="{}">{}</a>', url, record.action.reference)

    def render_about(self, record):
        subject = record.subject
        if subject is None:
            return ""
        if subject.url:
            return format_html('<a href="{}">{}</a>', subject.url, subject.label)
        return subject.label

    def render_owner(self, record):
        owner = record.action.owner
        return format_html("{}<br><small>{}</small>", owner, owner.organisation)

    def render_due(self, record):
        due = f"{record.action.due.day} {record.action.due:%b %Y}"
        if record.overdue:
            return format_html("{} {}", due, overdue_badge())
        return due

    def render_status(self, record):
        action = record.action
        if action.is_open:
            return "Open"
        return f"Closed {localtime(action.closed_at):%d %b %Y}"

    def render_raised(self, record):
        action = record.action
        if action.meeting_id:
            url = reverse("governance:meeting", args=[action.meeting.date.isoformat()])
            return format_html('<a href="{}">{}</a>', url, action.meeting)
        return format_html(
            "By {} on {}", action.raised_by, f"{localtime(action.raised_at):%d %b %Y}"
        )
