"""
Everything that changes the Improvement Plan: a plan, its priorities, their actions, and
each action's progress.

Keyword-only functions that check the person may (MANAGE_IMPROVEMENT_PLAN, so a command
obeys the pages' rules) and clean each row with its model before saving. Progress is only
ever added: a new update is the action's status, the earlier ones its history. Two updates
of one action are kept in the order of their days (the action is locked while one is
added), and none is dated in the future.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from opb_portal.accounts.models import User
from opb_portal.accounts.permissions import Action, can

from ..models import ImprovementAction, ImprovementPlan, ImprovementPriority, ImprovementProgress


class ImprovementError(Exception):
    """An act on the plan that cannot be done, with a sentence saying why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _require(user: User) -> None:
    if not can(user, Action.MANAGE_IMPROVEMENT_PLAN):
        raise ImprovementError("Your role does not allow changing the Improvement Plan.")


def _not_future(day: datetime.date | None, what: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ImprovementError(
            f"{what} is recorded once it has happened: its date is in the future."
        )


def _saved(row):
    row.full_clean()
    row.save()
    return row


def _plan_fields(
    plan: ImprovementPlan,
    *,
    title: str,
    summary: str,
    trust_board_signed_off: datetime.date | None,
    spb_signed_off: datetime.date | None,
) -> None:
    _not_future(trust_board_signed_off, "The Trust Board's sign-off")
    _not_future(spb_signed_off, "The Strategic Partnership Board's sign-off")
    plan.title, plan.summary = title, summary
    plan.trust_board_signed_off, plan.spb_signed_off = trust_board_signed_off, spb_signed_off


@transaction.atomic
def plan_create(
    *,
    user: User,
    start_year: int,
    title: str,
    summary: str = "",
    trust_board_signed_off: datetime.date | None = None,
    spb_signed_off: datetime.date | None = None,
    illustrative: bool = False,
    notes: str = "",
) -> ImprovementPlan:
    """The plan of a financial year (by the year it starts in); one a year."""
    _require(user)
    plan = ImprovementPlan(start_year=start_year, illustrative=illustrative, notes=notes)
    _plan_fields(
        plan,
        title=title,
        summary=summary,
        trust_board_signed_off=trust_board_signed_off,
        spb_signed_off=spb_signed_off,
    )
    return _saved(plan)


@transaction.atomic
def plan_update(
    *,
    plan: ImprovementPlan,
    user: User,
    title: str,
    summary: str = "",
    trust_board_signed_off: datetime.date | None = None,
    spb_signed_off: datetime.date | None = None,
) -> ImprovementPlan:
    """A plan's title, summary and sign-off dates; its year stays."""
    _require(user)
    _plan_fields(
        plan,
        title=title,
        summary=summary,
        trust_board_signed_off=trust_board_signed_off,
        spb_signed_off=spb_signed_off,
    )
    return _saved(plan)


@transaction.atomic
def priority_create(
    *,
    plan: ImprovementPlan,
    user: User,
    number: int,
    title: str,
    sponsor: str,
    ambition: str = "",
) -> ImprovementPriority:
    """A priority of the plan, numbered as the plan numbers it, with its sponsor."""
    _require(user)
    return _saved(
        ImprovementPriority(
            plan=plan, number=number, title=title, sponsor=sponsor, ambition=ambition
        )
    )


@transaction.atomic
def priority_update(
    *,
    priority: ImprovementPriority,
    user: User,
    number: int,
    title: str,
    sponsor: str,
    ambition: str = "",
) -> ImprovementPriority:
    _require(user)
    priority.number, priority.title = number, title
    priority.sponsor, priority.ambition = sponsor, ambition
    return _saved(priority)


@transaction.atomic
def action_create(
    *,
    priority: ImprovementPriority,
    user: User,
    number: int,
    title: str,
    lead: str,
    milestone: str,
    due: datetime.date,
) -> ImprovementAction:
    """An action of a priority (cited as 2.3), with the milestone that shows it done."""
    _require(user)
    return _saved(
        ImprovementAction(
            priority=priority, number=number, title=title, lead=lead, milestone=milestone, due=due
        )
    )


@transaction.atomic
def action_update(
    *,
    action: ImprovementAction,
    user: User,
    number: int,
    title: str,
    lead: str,
    milestone: str,
    due: datetime.date,
) -> ImprovementAction:
    _require(user)
    action.number, action.title, action.lead = number, title, lead
    action.milestone, action.due = milestone, due
    return _saved(action)


@transaction.atomic
def progress_record(
    *,
    action: ImprovementAction,
    user: User,
    as_at: datetime.date,
    status: str,
    reason: str,
) -> ImprovementProgress:
    """Where the action stood on `as_at`, and why: added after the updates before it."""
    _require(user)
    _not_future(as_at, "Progress")
    # Locked, so two updates recorded at once cannot land out of order.
    ImprovementAction.objects.select_for_update().filter(pk=action.pk).first()
    latest = action.progress.order_by("-as_at", "-pk").first()
    if latest is not None and as_at < latest.as_at:
        raise ImprovementError(
            f"Progress is added in order: the latest update is as at "
            f"{latest.as_at.day} {latest.as_at:%B %Y}."
        )
    return _saved(
        ImprovementProgress(
            action=action,
            as_at=as_at,
            status=status,
            reason=reason,
            recorded_by=user,
            recorded_at=timezone.now(),
        )
    )
