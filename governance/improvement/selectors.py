"""
Reads of the Improvement Plan: a year's plan with its priorities and actions (each with its
latest progress), one action with its history, and the year-end status section (a) shows.

An action's status on a day is the latest progress recorded as at that day or before it;
an action not yet reported on has none. Every progress row of the plan is read at once and
sorted here, so a plan of any size is read in a fixed number of queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.safestring import SafeString

from opb_portal.core.html import rag_badge
from opb_portal.periods import FinancialYear

from ..models import ImprovementAction, ImprovementPlan, ImprovementPriority, ImprovementProgress

Status = ImprovementProgress.Status


def badge(status: str) -> SafeString:
    """A progress status as the portal's RAG badge: its word, colour and shape."""
    return rag_badge(Status(status))


def status_at(action: ImprovementAction, day: datetime.date) -> ImprovementProgress | None:
    """The latest progress as at `day` or before, from the action's prefetched history."""
    found = [p for p in action.progress.all() if p.as_at <= day]
    return max(found, key=lambda p: (p.as_at, p.pk)) if found else None


@dataclass(frozen=True)
class ActionRow:
    """An action as the plan shows it: its status on a day, and whether it is overdue then."""

    action: ImprovementAction
    progress: ImprovementProgress | None
    overdue: bool

    @property
    def badge(self) -> SafeString | str:
        return badge(self.progress.status) if self.progress else ""


@dataclass(frozen=True)
class PriorityBlock:
    priority: ImprovementPriority
    rows: list[ActionRow]


def action_row(action: ImprovementAction, day: datetime.date) -> ActionRow:
    progress = status_at(action, day)
    done = progress is not None and progress.status == Status.DONE
    return ActionRow(action, progress, overdue=not done and action.due < day)


def _priorities(plan: ImprovementPlan) -> list[ImprovementPriority]:
    """The plan's priorities, their actions and all their progress: three queries."""
    return list(
        ImprovementPriority.objects.filter(plan=plan).prefetch_related(
            Prefetch(
                "actions",
                ImprovementAction.objects.prefetch_related(
                    Prefetch("progress", ImprovementProgress.objects.select_related("recorded_by"))
                ),
            )
        )
    )


def blocks(plan: ImprovementPlan, day: datetime.date) -> list[PriorityBlock]:
    """Each priority with its actions as they stood on `day` (three queries)."""
    return [
        PriorityBlock(priority, [action_row(a, day) for a in priority.actions.all()])
        for priority in _priorities(plan)
    ]


@dataclass(frozen=True)
class PlanPage:
    plan: ImprovementPlan | None
    years: list[FinancialYear]
    priorities: list[PriorityBlock]
    day: datetime.date


def plan_page(start_year: int | None = None, *, day: datetime.date | None = None) -> PlanPage:
    """
    The plan of a year (the latest without one) as at `day` (today): one query for every
    plan (the page links each year), then three for the chosen plan's priorities, actions
    and progress with who recorded it.
    """
    day = day or timezone.localdate()
    plans = list(ImprovementPlan.objects.all())
    years = [p.year for p in plans]
    if start_year is None:
        plan = plans[0] if plans else None
    else:
        plan = next((p for p in plans if p.start_year == start_year), None)
    return PlanPage(plan=plan, years=years, priorities=blocks(plan, day) if plan else [], day=day)


def action_for_page(pk: int) -> ImprovementAction | None:
    """An action with its priority and plan, and its progress with who recorded it (2 queries)."""
    return (
        ImprovementAction.objects.filter(pk=pk)
        .select_related("priority__plan")
        .prefetch_related(
            Prefetch("progress", ImprovementProgress.objects.select_related("recorded_by"))
        )
        .first()
    )


def plan_for_page(pk: int) -> ImprovementPlan | None:
    return ImprovementPlan.objects.filter(pk=pk).first()


def priority_for_page(pk: int) -> ImprovementPriority | None:
    return ImprovementPriority.objects.filter(pk=pk).select_related("plan").first()
