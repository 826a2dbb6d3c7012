"""
Reads of a meeting's business: the meetings list, and one meeting's agenda, attendees,
minutes, the actions it carries and the decisions it made.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from opb_portal.boardpack.models import Meeting
from opb_portal.core import subjects

from ..actions import selectors as action_selectors
from ..models import AgendaItem, Attendee, Decision, MinutesVersion


def meetings_list():
    """Every meeting with its chair, its live agenda items, and its minutes' state: 1 query."""
    approved = MinutesVersion.objects.filter(meeting=OuterRef("pk"), approved_at__isnull=False)
    drafted = MinutesVersion.objects.filter(meeting=OuterRef("pk"))
    return (
        Meeting.objects.select_related("chair")
        .annotate(
            agenda_count=Count("agenda_items", filter=Q(agenda_items__withdrawn_at__isnull=True)),
            minutes_approved=Exists(approved),
            minutes_drafted=Exists(drafted),
        )
        .order_by("-date")
    )


def meeting_for_page(date: datetime.date) -> Meeting | None:
    return Meeting.objects.filter(date=date).select_related("chair").first()


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The same board's meeting before this one."""
    return (
        Meeting.objects.filter(board=meeting.board, date__lt=meeting.date).order_by("-date").first()
    )


def next_meeting(meeting: Meeting) -> Meeting | None:
    """The same board's meeting after this one: where its minutes are approved."""
    return (
        Meeting.objects.filter(board=meeting.board, date__gt=meeting.date)
        .select_related("chair")
        .order_by("date")
        .first()
    )


@dataclass
class Business:
    """Everything a meeting's page shows besides the meeting itself."""

    meeting: Meeting
    previous: Meeting | None
    following: Meeting | None
    agenda: list[tuple[AgendaItem, subjects.Subject | None]]
    withdrawn: list[AgendaItem]
    present: list[Attendee]
    apologies: list[Attendee]
    versions: list[MinutesVersion]
    actions: list[action_selectors.Row]
    decisions: list[Decision]

    @property
    def minutes(self) -> MinutesVersion | None:
        """The approved version, else the latest draft."""
        approved = [v for v in self.versions if v.approved]
        return approved[0] if approved else (self.versions[0] if self.versions else None)

    @property
    def approved(self) -> bool:
        return any(v.approved for v in self.versions)

    @property
    def overdue(self) -> int:
        return sum(row.overdue for row in self.actions)


def business(meeting: Meeting) -> Business:
    """
    A meeting's business in a fixed number of queries: the previous and next meetings (2),
    agenda (1), attendees with organisations (1), minutes with their authors (1), the actions
    carried (1), decisions with their actions (2), and one per kind of subject named.
    """
    previous = previous_meeting(meeting)
    following = next_meeting(meeting)
    items = list(meeting.agenda_items.select_related("added_by").order_by("position", "pk"))
    attendees = list(meeting.attendees.select_related("organisation").order_by("pk"))
    versions = list(
        meeting.minutes_versions.select_related(
            "saved_by", "approved_by", "approved_at_meeting"
        ).order_by("-number")
    )
    actions = action_selectors.carried(meeting, since=previous.date if previous else None)
    decisions = list(
        meeting.decisions.select_related("recorded_by", "supersedes__meeting")
        .prefetch_related("actions")
        .order_by("pk")
    )
    refs = [item.subject for item in items]
    refs += [a.subject for a in actions]
    refs += [ref for d in decisions for ref in d.subjects]
    described = subjects.describe(refs)
    rows = [
        action_selectors.Row(
            a, described.get(a.subject), action_selectors.overdue_at(a, meeting.date)
        )
        for a in actions
    ]
    return Business(
        meeting=meeting,
        previous=previous,
        following=following,
        agenda=[(item, described.get(item.subject)) for item in items if not item.withdrawn],
        withdrawn=[item for item in items if item.withdrawn],
        present=[a for a in attendees if a.attendance == Attendee.Attendance.PRESENT],
        apologies=[a for a in attendees if a.attendance == Attendee.Attendance.APOLOGIES],
        versions=versions,
        actions=rows,
        decisions=decisions,
    )


def minutes_version(meeting: Meeting, number: int) -> MinutesVersion | None:
    return (
        meeting.minutes_versions.filter(number=number)
        .select_related("saved_by", "approved_by", "approved_at_meeting")
        .first()
    )


def today() -> datetime.date:
    return timezone.localdate()
