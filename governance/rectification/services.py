"""
Everything that changes a rectification plan: keyword-only functions, one per act.

The Trust (the submitters of the figure's return) writes the plan and its progress; the
council's reviewer agrees it or asks for more, and closes it with its outcome. Each act is
checked again here, under a row lock on the plan, and recorded as an event.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from opb_portal.accounts.models import Organisation, User
from opb_portal.accounts.permissions import Action, can
from opb_portal.periods import Period

from ..exception_reports.services import (
    AccountabilityError,
    off_track_item,
    require_reviewer,
    require_writer,
    saved,
    stale,
)
from ..models import Milestone, PlanEvent, PlanProgress, PlanVersion, RectificationPlan

Status = RectificationPlan.Status


@dataclass(frozen=True)
class MilestoneText:
    """A milestone as written in the form: what, who answers for it, by when."""

    what: str
    owner_name: str
    owner_organisation: Organisation
    due: datetime.date


def _locked(plan: RectificationPlan) -> RectificationPlan:
    return (
        RectificationPlan.objects.select_for_update(of=("self",))
        .select_related("current_version__written_by")
        .get(pk=plan.pk)
    )


def _version(
    *,
    plan: RectificationPlan,
    user: User,
    summary: str,
    milestones: list[MilestoneText],
    reason: str,
    before: str,
) -> PlanVersion:
    if not milestones:
        raise AccountabilityError("A plan needs at least one milestone, with its owner and date.")
    number = plan.current_version.number + 1 if plan.current_version else 1
    version = saved(
        PlanVersion(plan=plan, number=number, summary=summary, reason=reason, written_by=user)
    )
    for order, milestone in enumerate(milestones, start=1):
        saved(
            Milestone(
                version=version,
                order=order,
                what=milestone.what,
                owner_name=milestone.owner_name,
                owner_organisation=milestone.owner_organisation,
                due=milestone.due,
            )
        )
    plan.current_version = version
    plan.status = Status.SUBMITTED
    saved(plan)
    saved(
        PlanEvent(
            plan=plan,
            version=version,
            action=PlanEvent.Action.WRITTEN,
            from_status=before,
            to_status=plan.status,
            user=user,
            note=reason,
        )
    )
    return version


@transaction.atomic
def plan_write(
    *,
    user: User,
    subject: str,
    period: Period,
    summary: str,
    milestones: list[MilestoneText],
) -> RectificationPlan:
    """Write the first version of the plan on `subject`, escalated in `period`."""
    if not can(user, Action.WRITE_EXCEPTION_REPORT):
        require_writer(user, "")
    item = off_track_item(subject, period)
    if item is None or not item.escalated:
        raise AccountabilityError(
            f"{subject} is not escalated in {period.long}: no rectification plan is asked for."
        )
    require_writer(user, item.domain)
    if RectificationPlan.objects.filter(subject=subject).exclude(status=Status.CLOSED).exists():
        raise AccountabilityError(
            f"{item.label} already has an open rectification plan: revise that one."
        )
    plan = RectificationPlan(subject=subject, period=period, domain=item.domain)
    plan.full_clean()
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as exc:
        raise AccountabilityError(
            f"{item.label} already has an open rectification plan: revise that one."
        ) from exc
    _version(plan=plan, user=user, summary=summary, milestones=milestones, reason="", before="")
    return plan


@transaction.atomic
def plan_revise(
    *,
    user: User,
    plan: RectificationPlan,
    summary: str,
    milestones: list[MilestoneText],
    seen: int | None,
    reason: str = "",
) -> PlanVersion:
    """A new version of an open plan: an answer to the council, or a change once agreed."""
    require_writer(user, plan.domain)
    plan = _locked(plan)
    if not plan.is_open:
        raise AccountabilityError("This plan is closed: it can no longer change.")
    if refused := stale(plan, seen):
        raise refused
    if plan.status == Status.ACCEPTED and not reason.strip():
        raise AccountabilityError("The council has agreed this plan: say why you are changing it.")
    return _version(
        plan=plan,
        user=user,
        summary=summary,
        milestones=milestones,
        reason=reason,
        before=plan.status,
    )


@transaction.atomic
def plan_review(
    *, user: User, plan: RectificationPlan, accept: bool, note: str = "", seen: int | None
) -> PlanEvent:
    """Agree the plan's current version, or ask for more (saying what)."""
    require_reviewer(user)
    plan = _locked(plan)
    if plan.status != Status.SUBMITTED:
        raise AccountabilityError(
            f"This plan is {plan.get_status_display().lower()}, not awaiting review: "
            "reload the page to see its state."
        )
    if refused := stale(plan, seen):
        raise refused
    if not accept and not note.strip():
        raise AccountabilityError("Say what more the council needs.")
    before = plan.status
    plan.status = Status.ACCEPTED if accept else Status.MORE_ASKED
    saved(plan)
    return saved(
        PlanEvent(
            plan=plan,
            version=plan.current_version,
            action=PlanEvent.Action.ACCEPTED if accept else PlanEvent.Action.MORE_ASKED,
            from_status=before,
            to_status=plan.status,
            user=user,
            note=note,
        )
    )


@transaction.atomic
def plan_progress_add(
    *, user: User, plan: RectificationPlan, period: Period, text: str
) -> PlanProgress:
    """The Trust's progress on an open plan in a month: added, never edited."""
    require_writer(user, plan.domain)
    plan = _locked(plan)
    if not plan.is_open:
        raise AccountabilityError("This plan is closed: its progress is complete.")
    if period < plan.period:
        raise AccountabilityError(
            f"The plan starts in {plan.period.long}: progress is for that month or later."
        )
    return saved(PlanProgress(plan=plan, period=period, text=text, author=user))


@transaction.atomic
def plan_close(*, user: User, plan: RectificationPlan, outcome: str) -> PlanEvent:
    """Close an agreed plan with its outcome: who closed it and when are kept with it."""
    require_reviewer(user)
    plan = _locked(plan)
    if plan.status != Status.ACCEPTED:
        raise AccountabilityError(
            f"This plan is {plan.get_status_display().lower()}: only an agreed plan is closed."
        )
    if not outcome.strip():
        raise AccountabilityError("Say what the plan achieved.")
    before = plan.status
    plan.status = Status.CLOSED
    plan.outcome = outcome
    plan.closed_by = user
    plan.closed_at = timezone.now()
    saved(plan)
    return saved(
        PlanEvent(
            plan=plan,
            version=plan.current_version,
            action=PlanEvent.Action.CLOSED,
            from_status=before,
            to_status=plan.status,
            user=user,
            note=outcome,
        )
    )
