"""One Table class per board pack listing; formatting lives in render_<column> methods."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.timezone import localtime

from opb_portal.core.html import paragraphs


class MeetingTable(tables.Table):
    date = tables.Column(verbose_name="Meeting")
    board = tables.Column(verbose_name="Board")
    period = tables.Column(verbose_name="Reporting month")
    chair = tables.Column(verbose_name="Chair")
    issue_count = tables.Column(verbose_name="Issues of the pack")
    last_issued_at = tables.Column(verbose_name="Last issued", default="Not yet issued")

    class Meta:
        attrs = {"class": "table table-sm align-middle"}
        orderable = False
        empty_text = "No meeting has been arranged yet."

    def render_date(self, record):
        url = reverse("boardpack:meeting", args=[record.date.isoformat()])
        return format_html('<a href="{}">{}</a>', url, f"{record.date.day} {record.date:%B %Y}")

    def render_board(self, record):
        return record.get_board_display()

    def render_period(self, value):
        return value.long

    def render_last_issued_at(self, value):
        return f"{localtime(value):%d %b %Y %H:%M}"


class IssueTable(tables.Table):
    number = tables.Column(verbose_name="Issue")
    issued_at = tables.Column(verbose_name="Issued")
    issued_by = tables.Column(verbose_name="By")
    pages = tables.Column(verbose_name="Pages")
    sha256 = tables.Column(verbose_name="SHA-256")

    class Meta:
        attrs = {"class": "table table-sm align-middle"}
        orderable = False
        empty_text = "The pack has not been issued yet."

    def render_number(self, record):
        url = reverse("boardpack:download", args=[record.pk])
        return format_html('<a href="{}" download>Issue {} (PDF)</a>', url, record.number)

    def render_issued_at(self, value):
        return f"{localtime(value):%d %b %Y %H:%M}"

    def render_sha256(self, value):
        return format_html('<code title="{}">{}…</code>', value, value[:16])


class FrozenReviewTable(tables.Table):
    year = tables.Column(verbose_name="Annual review", accessor="review__start_year")
    frozen_at = tables.Column(verbose_name="Frozen")
    frozen_by = tables.Column(verbose_name="By")
    pages = tables.Column(verbose_name="Pages")
    sha256 = tables.Column(verbose_name="SHA-256")

    class Meta:
        attrs = {"class": "table table-sm align-middle"}
        orderable = False
        empty_text = "No annual review has been frozen yet."

    def render_year(self, record):
        label = record.year.label
        return format_html(
            '<a href="{}">Annual review {}</a> (<a href="{}" download>PDF</a>)',
            reverse("boardpack:annual_review", args=[label]),
            label,
            reverse("boardpack:annual_review_frozen", args=[label]),
        )

    def render_frozen_at(self, value):
        return f"{localtime(value):%d %b %Y %H:%M}"

    def render_sha256(self, value):
        return format_html('<code title="{}">{}…</code>', value, value[:16])


class AnnualTextTable(tables.Table):
    number = tables.Column(verbose_name="Version")
    written_at = tables.Column(verbose_name="Written")
    written_by = tables.Column(verbose_name="By")
    text = tables.Column(verbose_name="Text")

    class Meta:
        attrs = {"class": "table table-sm align-top"}
        orderable = False
        empty_text = "Nobody has edited this section yet: it says what the data's draft says."

    def render_number(self, record):
        return f"{record.number} (kept at the freeze)" if record.at_freeze else record.number

    def render_written_at(self, value):
        return f"{localtime(value):%d %b %Y %H:%M}"

    def render_text(self, value):
        # A person's text: escaped, its line breaks kept.
        return paragraphs(value)
