"""The meetings as a table: board, date, chair, and how far their business has gone."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html


class MeetingTable(tables.Table):
    date = tables.Column(verbose_name="Meeting")
    board = tables.Column(verbose_name="Board")
    period = tables.Column(verbose_name="Reporting month")
    chair = tables.Column(verbose_name="Chair")
    agenda_count = tables.Column(verbose_name="Agenda items")
    minutes = tables.Column(verbose_name="Minutes", accessor="minutes_approved", empty_values=())

    class Meta:
        attrs = {"class": "table table-sm align-middle"}
        orderable = False
        empty_text = "No meeting has been arranged yet."

    def render_date(self, record):
        url = reverse("governance:meeting", args=[record.date.isoformat()])
        return format_html('<a href="{}">{}</a>', url, f"{record.date.day} {record.date:%B %Y}")

    def render_board(self, record):
        return record.get_board_display()

    def render_period(self, value):
        return value.long

    def render_minutes(self, record):
        if record.minutes_approved:
            return "Approved"
        return "Draft" if record.minutes_drafted else "Not yet drafted"
