"""
The board pack's actions and decisions, and the annual review's section (j).

A month's pack is read for the board's meeting on that month (the OPB's, where both boards
met on it): the actions overdue at the meeting's date first, then those due before the
board's next meeting, and the decisions made since its last meeting. Everything is dated
by the meeting, never by today, so an issued pack says what it said when issued.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from opb_portal.boardpack import sections
from opb_portal.boardpack.models import Meeting
from opb_portal.boardpack.sections import Section
from opb_portal.core import subjects
from opb_portal.periods import FinancialYear, Period

from .actions import selectors as action_selectors
from .decisions import selectors as decision_selectors
from .models import Action, Attendee, Decision

KEY = "actions-decisions"
#: Where no next meeting is arranged, "before the next meeting" means within this.
MONTH = datetime.timedelta(days=31)


@dataclass
class Board:
    """A month's pack page: the meeting it is for, its actions and decisions."""

    meeting: Meeting | None
    day: datetime.date
    next_day: datetime.date
    since: datetime.date | None
    overdue: list[action_selectors.Row]
    due_soon: list[action_selectors.Row]
    later: int
    decisions: list[decision_selectors.Row]


def meeting_on(period: Period) -> Meeting | None:
    """The meeting on `period`: the OPB's first, the earliest if several."""
    found = list(Meeting.objects.filter(period=period).order_by("date"))
    opb = [m for m in found if m.board == Meeting.Board.OPB]
    return (opb or found or [None])[0]


def _board(period: Period) -> Board:
    """
    The month's actions and decisions in 5 to 8 queries: the meeting, the board's meetings
    either side of it, the open actions, the decisions, one per kind of subject named.
    """
    meeting = meeting_on(period)
    day = meeting.date if meeting else period.shift(1).first_day
    since = next_day = None
    if meeting is not None:
        around = Meeting.objects.filter(board=meeting.board).exclude(pk=meeting.pk)
        before = around.filter(date__lt=day).order_by("-date").first()
        after = around.filter(date__gt=day).order_by("date").first()
        since = before.date if before else None
        next_day = after.date if after else None
    next_day = next_day or day + MONTH
    end = timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
    open_then = Q(status=Action.Status.OPEN) | Q(closed_at__gt=end)
    actions = list(
        Action.objects.filter(open_then, raised_at__lte=end, due__lt=next_day)
        .select_related("owner__organisation", "meeting")
        .order_by("due", "pk")
    )
    later = (
        Action.objects.filter(open_then, raised_at__lte=end, due__gte=next_day).count()
        if meeting
        else 0
    )
    decisions = list(decision_selectors.decisions_between(since, day)) if meeting else []
    described = subjects.describe(
        [a.subject for a in actions] + [ref for d in decisions for ref in d.subjects]
    )
    rows = [
        action_selectors.Row(a, described.get(a.subject), action_selectors.overdue_at(a, day))
        for a in actions
    ]
    return Board(
        meeting=meeting,
        day=day,
        next_day=next_day,
        since=since,
        overdue=[row for row in rows if row.overdue],
        due_soon=[row for row in rows if not row.overdue],
        later=later,
        decisions=[
            decision_selectors.Row(d, [described[r] for r in d.subjects if r in described])
            for d in decisions
        ],
    )


def board(period: Period) -> Board:
    """Once per pack build (`sections.one_build`)."""
    return sections.shared((KEY, period), lambda: _board(period))


def build(period: Period) -> dict:
    return {"board": board(period), "period": period}


# --- the annual review's section (j) -------------------------------------------------------


def _contract_year(year: FinancialYear) -> str:
    return f"{year.start_year}/{(year.start_year + 1) % 100:02d}"


def _dates(meetings: list[Meeting]) -> str:
    days = [f"{m.date.day} {m.date:%B %Y}" for m in meetings]
    return days[0] if len(days) == 1 else ", ".join(days[:-1]) + " and " + days[-1]


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def annual_draft(year: FinancialYear) -> str:
    """
    Section (j), drafted from the meetings on the year's months: how often each board met,
    who attended, what it decided and what became of its actions. Four queries.
    """
    contract_year = _contract_year(year)
    meetings = list(
        Meeting.objects.filter(period__gte=year.first, period__lte=year.last)
        .select_related("chair")
        .order_by("date")
    )
    if not meetings:
        return (
            "The Operational Partnership Board and the Strategic Partnership Board met as set "
            "out in Schedule 19 (Governance); no meeting on the figures of the Contract year "
            f"{contract_year} is recorded in the portal."
        )
    attendees = list(
        Attendee.objects.filter(meeting__in=meetings).values_list("meeting", "attendance")
    )
    decisions = list(
        Decision.objects.filter(meeting__in=meetings)
        .select_related("meeting")
        .order_by("meeting__date", "pk")
    )
    actions = list(Action.objects.filter(meeting__in=meetings).values_list("status", flat=True))
    paragraphs = []
    for board_value, name, chaired in (
        (Meeting.Board.OPB, "The Operational Partnership Board", "the Trust's Chief Executive"),
        (Meeting.Board.SPB, "The Strategic Partnership Board", "the council's Chief Executive"),
    ):
        held = [m for m in meetings if m.board == board_value]
        if not held:
            paragraphs.append(f"{name} held no meeting on the figures of {contract_year}.")
            continue
        paragraphs.append(
            f"{name}, chaired by {chaired}, met {_times(len(held))} on the figures of the "
            f"Contract year {contract_year}: {_dates(held)}."
        )
    lines = []
    for meeting in meetings:
        present = sum(
            1 for m, a in attendees if m == meeting.pk and a == Attendee.Attendance.PRESENT
        )
        apologies = sum(
            1 for m, a in attendees if m == meeting.pk and a == Attendee.Attendance.APOLOGIES
        )
        if present or apologies:
            lines.append(
                f"{meeting}: {present} present, {apologies} "
                f"{'apology' if apologies == 1 else 'apologies'}"
            )
    if lines:
        paragraphs.append("Attendance: " + "; ".join(lines) + ".")
    if decisions:
        listed = "; ".join(f"{d.text.strip().rstrip('.')} ({d.meeting})" for d in decisions)
        paragraphs.append(
            f"The boards recorded {len(decisions)} "
            f"{'decision' if len(decisions) == 1 else 'decisions'}: {listed}."
        )
    else:
        paragraphs.append("The boards recorded no decisions.")
    if actions:
        closed = sum(1 for status in actions if status == Action.Status.CLOSED)
        paragraphs.append(
            f"They raised {len(actions)} {'action' if len(actions) == 1 else 'actions'}, "
            f"of which {closed} {'is' if closed == 1 else 'are'} closed and "
            f"{len(actions) - closed} open."
        )
    return "\n\n".join(paragraphs)


def register() -> None:
    """Called from `GovernanceConfig.ready()`."""
    sections.register(
        Section(
            key=KEY,
            title="Actions and decisions",
            order=700,
            template="boardpack/governance/actions_decisions.html",
            build=build,
            annual_draft=annual_draft,
            annual_title="Section (j) The contractual governance arrangements set out in "
            "Schedule 19 (Governance)",
        )
    )
