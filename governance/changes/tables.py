"""The change control log as a table: one row a change, with its subject and its rule."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html


def _date(day) -> str:
    return f"{day.day} {day:%B %Y}"


class ChangeTable(tables.Table):
    title = tables.Column(verbose_name="Change", accessor="change__title")
    kind = tables.Column(verbose_name="Kind", accessor="change__kind")
    in_force_from = tables.Column(verbose_name="In force from", accessor="change__in_force_from")
    agreed = tables.Column(verbose_name="Agreed", accessor="change__status")
    concerns = tables.Column(verbose_name="Concerns", accessor="subject", default="The agreement")

    class Meta:
        attrs = {"class": "table table-sm align-middle"}
        orderable = False
        empty_text = "No change is recorded."

    def render_title(self, record):
        url = reverse("governance:change", args=[record.change.pk])
        return format_html('<a href="{}">{}</a>', url, record.change.title)

    def render_kind(self, record):
        return record.change.get_kind_display()

    def render_in_force_from(self, value):
        return value.long

    def render_agreed(self, record):
        change = record.change
        if change.agreed_on:
            said = f"{change.get_agreed_by_display()}, {_date(change.agreed_on)}"
        else:
            said = "Not agreed"
        if change.status in ("proposed", "agreed"):
            return said if change.agreed_on else "Proposed"
        closed = f"{change.get_status_display()} {_date(change.closed_at)} by {change.closed_by}"
        return f"{said}; {closed}"

    def render_concerns(self, record):
        subject = record.subject
        shown = (
            format_html('<a href="{}">{}</a>', subject.url, subject.label)
            if subject.url
            else subject.label
        )
        if record.rule is not None:
            rule = format_html(
                '<br><span class="small">Created the rule: <a href="{}">{}</a></span>',
                record.rule.url,
                record.rule.label,
            )
            return format_html("{}{}", shown, rule)
        if record.rule_missing:
            note = format_html(
                '<br><span class="small text-muted">No rule of it starts in {} yet.</span>',
                record.change.in_force_from.long,
            )
            return format_html("{}{}", shown, note)
        return shown
