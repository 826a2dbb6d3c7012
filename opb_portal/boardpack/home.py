"""
The board pack's panels on the home page (`core.home`): where the contract stands, and the
meetings.

A board member opens the portal to see the pack's one-page summary on the screen: the same
lines the pack prints (`selectors.pack_summary`, read once), for the latest month with
approved figures, each linked to its page; then the meeting on those figures with its pack,
and the next meeting.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone

from opb_portal.accounts.roles import Role
from opb_portal.core import home
from opb_portal.periods import Period

from . import sections, selectors
from .models import Meeting, PackIssue


def summary(user) -> selectors.Summary:
    """
    The pack's summary of the latest month with approved figures: the month (1 query), the
    return states (1) and the sections' headline reads, each once. Before any approval, an
    empty summary of no month (the panel says there is nothing yet).
    """
    period = selectors.summary_period()
    if period is None:
        return selectors.Summary(None, [], [])
    with sections.one_build():
        return selectors.pack_summary(period)


@dataclass
class Meetings:
    """The meetings a board member looks for: those on the summarised month, and the next."""

    period: Period | None
    on_figures: list[Meeting]
    next: Meeting | None


def meetings(user, *, today: datetime.date | None = None) -> Meetings:
    """
    The meetings on the latest approved month and the next one after it (or after today,
    whichever is first): the month (1 query), the meetings with their chairs (1) and their
    issues (1).
    """
    today = today or timezone.localdate()
    period = selectors.summary_period()
    wanted = Q(date__gte=today)
    if period is not None:
        wanted |= Q(period__gte=period)
    found = list(
        Meeting.objects.filter(wanted)
        .select_related("chair")
        .prefetch_related(Prefetch("issues", queryset=PackIssue.objects.order_by("-number")))
        .order_by("date")
    )
    on_figures = [m for m in found if m.period == period]
    later = [
        m
        for m in found
        if m not in on_figures and (m.date >= today or (period is not None and m.period > period))
    ]
    return Meetings(period, on_figures, later[0] if later else None)


def register() -> None:
    """The board's panels; called from `BoardPackConfig.ready()`."""
    board = frozenset({Role.BOARD_MEMBER})
    home.register(
        home.HomePanel(
            key="boardpack.summary",
            title="Where the contract stands",
            order=10,
            template="boardpack/home/summary.html",
            build=summary,
            audience=board,
        )
    )
    home.register(
        home.HomePanel(
            key="boardpack.meetings",
            title="Meetings and their packs",
            order=30,
            template="boardpack/home/meetings.html",
            build=meetings,
            audience=board | {Role.ADMINISTRATOR},
        )
    )
