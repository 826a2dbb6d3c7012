"""The risk register as a table: one row a risk, rated by its latest review."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from opb_portal.core.html import rag_badge


class RiskTable(tables.Table):
    title = tables.Column(verbose_name="Risk", accessor="risk__title")
    rating = tables.Column(verbose_name="Likelihood × impact", accessor="score")
    owner = tables.Column(verbose_name="Owner", accessor="risk__owner")
    concerns = tables.Column(verbose_name="Concerns", accessor="subjects", default="")
    reviewed = tables.Column(verbose_name="Last reviewed", accessor="latest", default="Never")

    class Meta:
        attrs = {"class": "table table-sm align-middle"}
        orderable = False
        empty_text = "No risk is on the register."

    def render_title(self, record):
        url = reverse("governance:risk", args=[record.risk.pk])
        return format_html('<a href="{}">{}</a>', url, record.risk.title)

    def render_rating(self, record):
        latest = record.latest
        return format_html(
            "{} {} × {} = {}",
            rag_badge(record.status),
            latest.likelihood,
            latest.impact,
            latest.score,
        )

    def render_concerns(self, value):
        return (
            format_html_join(
                ", ",
                '<a href="{}">{}</a>',
                ((s.url, s.label) for s in value),
            )
            if value
            else "The partnership"
        )

    def render_reviewed(self, value):
        return f"{value.reviewed_on.day} {value.reviewed_on:%B %Y}"
