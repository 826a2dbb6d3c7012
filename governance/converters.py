"""The URL converter of a meeting's date, for the pages about a meeting."""

import datetime

from django.urls import register_converter


class MeetingDateConverter:
    """A meeting's date written `2025-04-17`; the view receives a `datetime.date`."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> datetime.date:
        return datetime.date.fromisoformat(value)  # ValueError: no match, so a 404

    def to_url(self, value) -> str:
        return value.isoformat() if isinstance(value, datetime.date) else str(value)


register_converter(MeetingDateConverter, "meeting_date")

#: The prefix of every page about one meeting.
MEETING = "meetings/<meeting_date:date>/"
