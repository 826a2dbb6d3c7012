"""
Reads of the actions log that several pages share, overdue first everywhere.

`actions_about(refs)` is the one way another page (an exception report, a risk) shows
"actions on this KPI": the same subject reference the action keeps.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from opb_portal.core import subjects

from ..models import Action


def _with_people(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("owner__organisation", "raised_by", "meeting")


def overdue_first(queryset: QuerySet, day: datetime.date) -> QuerySet:
    """Open and past due on `day` first, then the rest by due date."""
    late = Case(
        When(status=Action.Status.OPEN, due__lt=day, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return queryset.annotate(late=late).order_by("late", "due", "pk")


def today() -> datetime.date:
    return timezone.localdate()


def actions_log(*, status: str = "", day: datetime.date | None = None) -> QuerySet:
    """Every action (or those of `status`), with owner, organisation, raiser and meeting."""
    found = Action.objects.all()
    if status:
        found = found.filter(status=status)
    return overdue_first(_with_people(found), day or today())


def actions_about(refs: Iterable[str], *, day: datetime.date | None = None) -> QuerySet:
    """The actions about any of `refs` (`kpi:2024/PI9`), overdue first, in one query."""
    return overdue_first(
        _with_people(Action.objects.filter(subject__in=list(refs))), day or today()
    )


def action_for_page(pk: int) -> Action | None:
    """An action with its people and meeting, and its updates with who wrote them (2 queries)."""
    return (
        _with_people(Action.objects.filter(pk=pk))
        .select_related("closed_by")
        .prefetch_related("updates__by")
        .first()
    )


@dataclass(frozen=True)
class Row:
    """An action as a list shows it: the action, what it is about, overdue or not."""

    action: Action
    subject: subjects.Subject | None
    overdue: bool


def rows(actions: Iterable[Action], day: datetime.date) -> list[Row]:
    """The actions with their subjects described (one query a kind of subject)."""
    actions = list(actions)
    described = subjects.describe(a.subject for a in actions)
    return [Row(a, described.get(a.subject), overdue_at(a, day)) for a in actions]


def overdue_at(action: Action, day: datetime.date) -> bool:
    """Was the action open and past due on `day` (closed later counts as open then)?"""
    open_then = action.is_open or (action.closed_at and timezone.localdate(action.closed_at) > day)
    return bool(open_then) and action.due < day


def carried(meeting, *, since: datetime.date | None) -> list[Action]:
    """
    The actions a meeting goes through: every action open at its date, those raised at it,
    and those closed since the board's last meeting (`since`); overdue first.
    """
    day = meeting.date
    end_of_day = timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
    open_then = Q(status=Action.Status.OPEN) | Q(closed_at__gt=end_of_day)
    if since is not None:
        start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.max))
        open_then |= Q(closed_at__gt=start)
    # An action raised at a meeting dates from that meeting, however long after it someone
    # recorded it here (the minutes are often written up weeks later).
    raised_then = Q(raised_at__lte=end_of_day) | Q(meeting__date__lte=day)
    found = Action.objects.filter(raised_then & open_then | Q(meeting=meeting))
    actions = list(_with_people(found).select_related("closed_by").order_by("due", "pk"))
    return sorted(actions, key=lambda a: (not overdue_at(a, day), a.due, a.pk))
