"""
Everything that changes a meeting's business: its agenda, attendees and minutes.

The chair (or an administrator) acts; each act checks so again (the command line obeys
the pages' rules), checks its rows with `full_clean()`, and locks the meeting's row so that
two people drafting, reordering or saving minutes never interleave. Approved minutes are
frozen, and so is the rest of the meeting's record: the agenda and the attendance.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from opb_portal.accounts.models import Organisation, User
from opb_portal.boardpack.models import Meeting
from opb_portal.core import off_track, subjects

from ..actions.selectors import carried, overdue_at
from ..chairing import may_chair
from ..models import AgendaItem, Attendee, MinutesVersion
from ..refusals import Refused
from . import selectors


def _lock(meeting: Meeting, user: User, what: str) -> Meeting:
    """The meeting, locked, once `user` may chair it and its minutes are not approved."""
    if not may_chair(user, meeting):
        raise Refused(f"Only the meeting's chair or an administrator can {what}.")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_versions.filter(approved_at__isnull=False).exists():
        raise Refused(f"The minutes of the {meeting} are approved: its record is frozen.")
    return meeting


def _next_position(meeting: Meeting) -> int:
    return (meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0) + 1


def _known(ref: str) -> str:
    """`ref` if its kind is registered (a record may keep it), else nothing."""
    return ref if ref.partition(":")[0] in {kind.kind for kind in subjects.kinds()} else ""


def drafted_items(meeting: Meeting) -> list[tuple[str, str, str, str]]:
    """
    The agenda the month's figures call for, as (origin, kind, title, subject): the last
    meeting's minutes, each figure off track (escalations first), finance, workforce, and
    the actions, overdue first.
    """
    period = meeting.period
    items = [
        ("minutes", AgendaItem.Kind.STANDING, "Apologies, and the minutes of the last meeting", "")
    ]
    figures = sorted(off_track.at(period), key=lambda f: (not f.escalated, f.status != "red"))
    for figure in figures:
        if figure.escalated:
            origin, kind = f"escalation:{figure.subject}", AgendaItem.Kind.ESCALATION
            title = (
                f"Escalation: {figure.label} has been red for more than three months: "
                "the rectification plan"
            )
        else:
            origin, kind = f"off-track:{figure.subject}", AgendaItem.Kind.EXCEPTION
            value = f" ({figure.value})" if figure.value else ""
            title = f"Exception: {figure.label} is {figure.status}{value}"
        items.append((origin[:120], kind, title, _known(figure.subject)))
    items += [
        ("finance", AgendaItem.Kind.FINANCE, f"Finance: the budget position at {period.long}", ""),
        ("workforce", AgendaItem.Kind.WORKFORCE, f"Workforce: social workers in {period.long}", ""),
    ]
    log = carried(meeting, since=None)
    late = sum(1 for a in log if overdue_at(a, meeting.date))
    title = f"Actions: {len(log)} open, {late} overdue" if log else "Actions: none open"
    items.append(("actions", AgendaItem.Kind.ACTIONS, title, ""))
    return items


@transaction.atomic
def agenda_draft(*, meeting: Meeting, user: User) -> list[AgendaItem]:
    """
    Add to the agenda what the month's figures call for and it does not yet hold; drafting
    again adds only what is new (a figure gone off track since), after the items there.
    """
    meeting = _lock(meeting, user, "draft the agenda")
    have = set(meeting.agenda_items.exclude(origin="").values_list("origin", flat=True))
    position, now, added = _next_position(meeting), timezone.now(), []
    for origin, kind, title, subject in drafted_items(meeting):
        if origin in have:
            continue
        item = AgendaItem(
            meeting=meeting,
            position=position,
            kind=kind,
            title=title[:300],
            subject=subject,
            origin=origin,
            added_by=user,
            added_at=now,
        )
        item.full_clean()
        item.save()
        added.append(item)
        position += 1
    return added


@transaction.atomic
def agenda_add(
    *, meeting: Meeting, user: User, title: str, notes: str = "", subject: str = ""
) -> AgendaItem:
    """The chair adds an item at the end of the agenda."""
    meeting = _lock(meeting, user, "add to the agenda")
    item = AgendaItem(
        meeting=meeting,
        position=_next_position(meeting),
        kind=AgendaItem.Kind.OTHER,
        title=title,
        notes=notes,
        subject=subject,
        added_by=user,
        added_at=timezone.now(),
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def agenda_move(*, item: AgendaItem, user: User, up: bool) -> AgendaItem:
    """Swap the item with the live item above (or below) it; at either end nothing moves."""
    meeting = _lock(item.meeting, user, "reorder the agenda")
    live = list(meeting.agenda_items.filter(withdrawn_at__isnull=True).order_by("position", "pk"))
    index = next((i for i, other in enumerate(live) if other.pk == item.pk), None)
    if index is None:
        raise Refused("A withdrawn item has no place on the agenda to move from.")
    other = index - 1 if up else index + 1
    if not 0 <= other < len(live):
        return live[index]
    # Renumber the live items in their new order: positions stay unique and gap-free.
    live[index], live[other] = live[other], live[index]
    for position, each in enumerate(live, start=1):
        if each.position != position:
            each.position = position
            each.save(update_fields=["position"])
    return live[other]


@transaction.atomic
def agenda_withdraw(*, item: AgendaItem, user: User) -> AgendaItem:
    """Take an item off the agenda; it stays on record as withdrawn, by whom and when."""
    _lock(item.meeting, user, "change the agenda")
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.withdrawn:
        raise Refused("That item is already withdrawn.")
    item.withdrawn_by, item.withdrawn_at = user, timezone.now()
    item.save(update_fields=["withdrawn_by", "withdrawn_at"])
    return item


@transaction.atomic
def attendee_add(
    *,
    meeting: Meeting,
    user: User,
    name: str,
    job_title: str,
    organisation: Organisation,
    attendance: str = Attendee.Attendance.PRESENT,
    person: User | None = None,
) -> Attendee:
    """Record someone as present, or as having sent apologies."""
    meeting = _lock(meeting, user, "record who attended")
    if meeting.attendees.filter(name=name).exists():
        raise Refused(f"{name} is already recorded for this meeting.")
    attendee = Attendee(
        meeting=meeting,
        name=name,
        job_title=job_title,
        organisation=organisation,
        user=person,
        attendance=attendance,
        added_by=user,
        added_at=timezone.now(),
    )
    attendee.full_clean()
    attendee.save()
    return attendee


@transaction.atomic
def minutes_save(
    *, meeting: Meeting, user: User, text: str, base_version: int | None
) -> MinutesVersion:
    """
    Save the minutes as a new version. `base_version` is the version the person started
    from: a save based on an older one than the latest is refused, so that two people
    drafting never overwrite each other.
    """
    meeting = _lock(meeting, user, "draft the minutes")
    latest = meeting.minutes_versions.order_by("-number").first()
    number = latest.number if latest else None
    if number != base_version:
        raise Refused(
            f"Someone saved version {number} of the minutes since you opened them: "
            "read it, then make your changes again."
        )
    if latest is not None and latest.text == text:
        raise Refused("Nothing has changed since the last version.")
    version = MinutesVersion(
        meeting=meeting,
        number=(number or 0) + 1,
        text=text,
        saved_by=user,
        saved_at=timezone.now(),
    )
    version.full_clean()
    version.save()
    return version


def may_approve(user: User, meeting: Meeting, following: Meeting | None) -> bool:
    """The chair of the meeting they are approved at, or an administrator."""
    return following is not None and may_chair(user, following)


@transaction.atomic
def minutes_approve(*, meeting: Meeting, user: User) -> MinutesVersion:
    """
    Approve the latest version of the minutes at the board's next meeting, once it has met.
    Approval freezes them: no version, agenda item or attendee is added after it.
    """
    following = selectors.next_meeting(meeting)
    if following is None:
        raise Refused("Minutes are approved at the board's next meeting; none is arranged.")
    if not may_approve(user, meeting, following):
        raise Refused(f"Only the chair of the {following} or an administrator can approve them.")
    if following.date > timezone.localdate():
        raise Refused(f"The minutes are approved at the {following}, once it has met.")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    latest = meeting.minutes_versions.order_by("-number").first()
    if latest is None:
        raise Refused("There are no minutes to approve yet.")
    if latest.approved or meeting.minutes_versions.filter(approved_at__isnull=False).exists():
        raise Refused("The minutes are already approved.")
    latest.approved_at_meeting, latest.approved_by = following, user
    latest.approved_at = timezone.now()
    latest.full_clean()
    latest.save(update_fields=["approved_at_meeting", "approved_by", "approved_at"])
    return latest
