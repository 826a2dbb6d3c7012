"""The decisions log as a table."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime

from opb_portal.core.html import paragraphs


class DecisionTable(tables.Table):
    """Rows are `selectors.Row`: a decision and the subjects it concerns."""

    reference = tables.Column(verbose_name="Decision", accessor="decision__pk")
    meeting = tables.Column(verbose_name="Meeting", accessor="decision__meeting")
    text = tables.Column(verbose_name="What was decided", accessor="decision__text")
    about = tables.Column(verbose_name="About", accessor="subjects", empty_values=())
    recorded = tables.Column(verbose_name="Recorded by", accessor="decision__recorded_by")

    class Meta:
        attrs = {"class": "table table-sm align-middle"}
        orderable = False
        empty_text = "No decision is recorded."

    def render_reference(self, record):
        return record.decision.reference

    def render_meeting(self, record):
        meeting = record.decision.meeting
        url = reverse("governance:meeting", args=[meeting.date.isoformat()])
        return format_html('<a href="{}">{}</a>', url, meeting)

    def render_text(self, record):
        decision = record.decision
        later = getattr(decision, "superseded_by", None)
        if later is None:
            return paragraphs(decision.text)
        return format_html(
            "{}<p><em>Superseded by {} at the {}.</em></p>",
            paragraphs(decision.text),
            later.reference,
            later.meeting,
        )

    def render_about(self, record):
        subjects = format_html_join(
            "", '<li><a href="{}">{}</a></li>', ((s.url, s.label) for s in record.subjects if s.url)
        )
        bare = format_html_join(
            "", "<li>{}</li>", ((s.label,) for s in record.subjects if not s.url)
        )
        actions = format_html_join(
            "",
            '<li><a href="{}">{}</a></li>',
            (
                (reverse("governance:action", args=[a.pk]), f"{a.reference}: {a.title}")
                for a in record.decision.actions.all()
            ),
        )
        if not (subjects or bare or actions):
            return ""
        return format_html('<ul class="list-unstyled mb-0">{}{}{}</ul>', subjects, bare, actions)

    def render_recorded(self, record):
        decision = record.decision
        return f"{decision.recorded_by}, {localtime(decision.recorded_at):%d %b %Y}"
