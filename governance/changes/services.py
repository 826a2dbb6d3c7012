"""
Everything that changes the change control log: keyword-only functions, one per act.

Each checks the person may do it (so a command obeys the pages' rules), cleans the rows
with their models before saving, takes a row lock on the change it closes or agrees (two
administrators cannot both supersede it), and records the step as a `ChangeEvent`.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from opb_portal.accounts.models import User
from opb_portal.accounts.permissions import Action, can
from opb_portal.periods import Period

from ..models import Change, ChangeEvent


class ChangeError(Exception):
    """An act on the log that cannot be done, with a sentence saying why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _require(user: User) -> None:
    if not can(user, Action.MANAGE_CHANGE_CONTROL):
        raise ChangeError("Your role does not allow changing the change control log.")


def _event(change: Change, action: str, user: User, at: datetime.datetime, note: str = ""):
    event = ChangeEvent(change=change, action=action, user=user, at=at, note=note)
    event.full_clean()
    event.save()
    return event


def _locked_open(change: Change) -> Change:
    change = Change.objects.select_for_update().get(pk=change.pk)
    if not change.is_open:
        raise ChangeError(f"This change was {change.get_status_display().lower()}: it is closed.")
    return change


def _new_change(
    *,
    user: User,
    at: datetime.datetime,
    title: str,
    kind: str,
    in_force_from: Period,
    detail: str = "",
    subject: str = "",
    agreed_by: str = "",
    agreed_on: datetime.date | None = None,
) -> Change:
    change = Change(
        title=title,
        detail=detail,
        kind=kind,
        subject=subject,
        in_force_from=in_force_from,
        status=Change.Status.AGREED if agreed_on or agreed_by else Change.Status.PROPOSED,
        agreed_by=agreed_by,
        agreed_on=agreed_on,
        recorded_by=user,
        recorded_at=at,
    )
    change.full_clean()
    change.save()
    note = (
        f"Agreed by the {change.get_agreed_by_display()} on {agreed_on:%d %B %Y}."
        if change.status == Change.Status.AGREED
        else "Proposed."
    )
    _event(change, ChangeEvent.Action.RECORDED, user, at, note)
    return change


@transaction.atomic
def change_record(
    *,
    user: User,
    title: str,
    kind: str,
    in_force_from: Period,
    detail: str = "",
    subject: str = "",
    agreed_by: str = "",
    agreed_on: datetime.date | None = None,
) -> Change:
    """Record a change: agreed when a board and date are given, otherwise proposed."""
    _require(user)
    return _new_change(
        user=user,
        at=timezone.now(),
        title=title,
        kind=kind,
        in_force_from=in_force_from,
        detail=detail,
        subject=subject,
        agreed_by=agreed_by,
        agreed_on=agreed_on,
    )


@transaction.atomic
def change_agree(*, change: Change, user: User, agreed_by: str, agreed_on: datetime.date) -> Change:
    """A proposed change, agreed by a board on a date."""
    _require(user)
    change = _locked_open(change)
    if change.status != Change.Status.PROPOSED:
        raise ChangeError("This change is already agreed.")
    change.status = Change.Status.AGREED
    change.agreed_by, change.agreed_on = agreed_by, agreed_on
    change.full_clean()
    change.save(update_fields=["status", "agreed_by", "agreed_on"])
    note = f"By the {change.get_agreed_by_display()} on {agreed_on:%d %B %Y}."
    _event(change, ChangeEvent.Action.AGREED, user, timezone.now(), note)
    return change


def _close(change: Change, user: User, status: str, reason: str, at) -> None:
    if not reason.strip():
        raise ChangeError("Say why.")
    change.status = status
    change.closed_by, change.closed_at, change.close_reason = user, at, reason
    change.full_clean()


@transaction.atomic
def change_withdraw(*, change: Change, user: User, reason: str) -> Change:
    """A change that will not happen (or was recorded in error): kept, marked withdrawn."""
    _require(user)
    change = _locked_open(change)
    at = timezone.now()
    _close(change, user, Change.Status.WITHDRAWN, reason, at)
    change.save(update_fields=["status", "closed_by", "closed_at", "close_reason"])
    _event(change, ChangeEvent.Action.WITHDRAWN, user, at, reason)
    return change


@transaction.atomic
def change_supersede(
    *,
    change: Change,
    user: User,
    reason: str,
    title: str,
    kind: str,
    in_force_from: Period,
    detail: str = "",
    subject: str = "",
    agreed_by: str = "",
    agreed_on: datetime.date | None = None,
) -> Change:
    """Replace a change by its correction: the old one is kept, superseded, pointing at the new."""
    _require(user)
    change = _locked_open(change)
    at = timezone.now()
    _close(change, user, Change.Status.SUPERSEDED, reason, at)
    new = _new_change(
        user=user,
        at=at,
        title=title,
        kind=kind,
        in_force_from=in_force_from,
        detail=detail,
        subject=subject,
        agreed_by=agreed_by,
        agreed_on=agreed_on,
    )
    change.superseded_by = new
    change.full_clean()
    change.save(update_fields=["status", "closed_by", "closed_at", "close_reason", "superseded_by"])
    _event(change, ChangeEvent.Action.SUPERSEDED, user, at, reason)
    return new
