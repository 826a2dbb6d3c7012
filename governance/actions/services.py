"""
Everything that changes the actions log: keyword-only functions, one per act.

Each checks the person may do it (so `manage.py` obeys the same rules as the pages),
checks the row with `full_clean()`, and takes a row lock on the action where two people
could race (an update and a close, two reminders).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from opb_portal.accounts.models import Role, User
from opb_portal.accounts.permissions import Action as Act
from opb_portal.accounts.permissions import can
from opb_portal.boardpack.models import Meeting
from opb_portal.outbox.services import queue_email

from ..models import Action, ActionReminder, ActionUpdate
from ..models.actions import REMIND_BEFORE
from ..refusals import Refused


def may_raise(user) -> bool:
    return can(user, Act.RAISE_ACTION)


def may_update(user, action: Action) -> bool:
    """
    The owner, anyone of the owner's organisation, whoever raised it, or an administrator:
    the Trust updates its own actions, the council follows up those it raised.
    """
    if not can(user, Act.UPDATE_ACTION):
        return False
    if user.role == Role.ADMINISTRATOR or user.pk in (action.owner_id, action.raised_by_id):
        return True
    return user.organisation_id is not None and user.organisation_id == action.owner.organisation_id


def owners():
    """Who may own an action: active people with a role and an organisation."""
    return (
        User.objects.filter(is_active=True, organisation__isnull=False)
        .exclude(role="")
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name", "username")
    )


def _link(action: Action) -> str:
    return settings.PORTAL_URL.rstrip("/") + reverse("governance:action", args=[action.pk])


def _remind(action: Action, kind: str, now: datetime.datetime) -> ActionReminder | None:
    """Queue the email of `kind` to the owner and record it; nothing if they have no address."""
    if not action.owner.email:
        return None
    subjects = {
        ActionReminder.Kind.RAISED: f"OPB portal: action {action.reference} is yours",
        ActionReminder.Kind.DUE_SOON: f"OPB portal: action {action.reference} is due "
        f"{action.due:%d %B %Y}",
        ActionReminder.Kind.OVERDUE: f"OPB portal: action {action.reference} is overdue",
    }
    opening = {
        ActionReminder.Kind.RAISED: f"{action.raised_by} raised an action for you",
        ActionReminder.Kind.DUE_SOON: "An action of yours is due within a week",
        ActionReminder.Kind.OVERDUE: "An action of yours is past its due date",
    }
    where = f" at the {action.meeting}" if action.meeting_id else ""
    body = (
        f"{opening[kind]}{where}.\n\n{action.reference}: {action.title}\n"
        f"Due: {action.due:%d %B %Y}\n\nUpdate it or close it with its outcome: {_link(action)}\n"
    )
    email = queue_email(to=action.owner.email, subject=subjects[kind], body=body)
    reminder = ActionReminder(action=action, kind=kind, due=action.due, email=email, sent_at=now)
    reminder.full_clean()
    reminder.save()
    return reminder


@transaction.atomic
def action_raise(
    *,
    user: User,
    title: str,
    owner: User,
    due: datetime.date,
    meeting: Meeting | None = None,
    subject: str = "",
    detail: str = "",
) -> Action:
    """Raise an action at a meeting or about a figure; the owner is emailed in the same act."""
    if not may_raise(user):
        raise Refused("Your role does not allow raising actions.")
    if not owner.is_active or not owner.role or owner.organisation_id is None:
        raise Refused(f"{owner} cannot own an action: choose someone with a role and organisation.")
    action = Action(
        title=title,
        detail=detail,
        meeting=meeting,
        subject=subject,
        owner=owner,
        due=due,
        raised_by=user,
        raised_at=timezone.now(),
    )
    action.full_clean()
    action.save()
    _remind(action, ActionReminder.Kind.RAISED, action.raised_at)
    return action


def _locked(action: Action) -> Action:
    return Action.objects.select_for_update().select_related("owner").get(pk=action.pk)


@transaction.atomic
def action_update(
    *, action: Action, user: User, text: str, due: datetime.date | None = None
) -> ActionUpdate:
    """Record progress, dated; a new due date moves the action and says from what."""
    action = _locked(action)
    if not may_update(user, action):
        raise Refused(
            "Only the action's owner, their organisation, whoever raised it or an "
            "administrator can update it."
        )
    if not action.is_open:
        raise Refused(f"Action {action.reference} is closed: its record is kept as it was.")
    update = ActionUpdate(action=action, text=text, by=user, at=timezone.now())
    if due is not None and due != action.due:
        update.due_was, update.due_now = action.due, due
        action.due = due
        action.full_clean()
        action.save(update_fields=["due"])
    update.full_clean()
    update.save()
    return update


@transaction.atomic
def action_close(*, action: Action, user: User, outcome: str) -> Action:
    """Close the action with what came of it; it stays in the log."""
    action = _locked(action)
    if not may_update(user, action):
        raise Refused(
            "Only the action's owner, their organisation, whoever raised it or an "
            "administrator can close it."
        )
    if not action.is_open:
        raise Refused(f"Action {action.reference} is already closed.")
    action.status = Action.Status.CLOSED
    action.outcome, action.closed_by, action.closed_at = outcome, user, timezone.now()
    action.full_clean()
    action.save(update_fields=["status", "outcome", "closed_by", "closed_at"])
    return action


def reminders_due(day: datetime.date) -> list[tuple[Action, str]]:
    """
    The reminders owed on `day`, one query: a week before due (unless raised within that
    week: the raising email gave the date), and once overdue; each once per due date.
    """
    owed = []
    candidates = (
        Action.objects.filter(status=Action.Status.OPEN, due__lte=day + REMIND_BEFORE)
        .select_related("owner", "raised_by", "meeting")
        .prefetch_related("reminders")
        .order_by("due", "pk")
    )
    for action in candidates:
        sent = {(r.kind, r.due) for r in action.reminders.all()}
        if action.due < day:
            kind = ActionReminder.Kind.OVERDUE
        elif timezone.localdate(action.raised_at) < action.due - REMIND_BEFORE:
            kind = ActionReminder.Kind.DUE_SOON
        else:
            continue
        if (kind, action.due) not in sent:
            owed.append((action, kind))
    return owed


def actions_remind(*, day: datetime.date | None = None) -> list[ActionReminder]:
    """
    Email each owner what is owed today, once: `manage.py remind_actions`, daily.

    Each reminder is its own transaction under a lock on the action, checked again once
    locked, so two runs at once (or a run again the same day) send nothing twice.
    """
    day = day or timezone.localdate()
    sent = []
    for action, kind in reminders_due(day):
        with transaction.atomic():
            locked = _locked(action)
            moved = locked.due != action.due  # the next run judges the new date
            if not locked.is_open or moved:
                continue
            if locked.reminders.filter(kind=kind, due=locked.due).exists():
                continue
            locked.raised_by, locked.meeting = action.raised_by, action.meeting
            reminder = _remind(locked, kind, timezone.now())
            if reminder is not None:
                sent.append(reminder)
    return sent
