"""Reads the rectification plan pages, the pack and the annual review share."""

from __future__ import annotations

from django.db.models import Case, Prefetch, Q, Value, When

from opb_portal.periods import FinancialYear

from ..models import Milestone, PlanEvent, PlanProgress, PlanVersion, RectificationPlan


def _milestones() -> Prefetch:
    return Prefetch(
        "current_version__milestones",
        queryset=Milestone.objects.select_related("owner_organisation"),
    )


def _progress() -> Prefetch:
    return Prefetch(
        "progress", queryset=PlanProgress.objects.select_related("author__organisation")
    )


def plans_for_list():
    """Every plan, open ones first, newest first, with its current version and progress: 2."""
    return (
        RectificationPlan.objects.select_related("current_version", "closed_by")
        .prefetch_related(
            Prefetch("progress", queryset=PlanProgress.objects.order_by("period", "at", "pk"))
        )
        .order_by(
            Case(When(status=RectificationPlan.Status.CLOSED, then=Value(1)), default=Value(0)),
            "-period",
            "subject",
        )
    )


def open_plans():
    """Every plan not closed, oldest first, with its milestones and progress: 3 queries."""
    return (
        RectificationPlan.objects.exclude(status=RectificationPlan.Status.CLOSED)
        .select_related("current_version")
        .prefetch_related(_milestones(), _progress())
        .order_by("period", "subject")
    )


def plan_for_page(pk: int) -> RectificationPlan | None:
    """A plan with every version and its milestones, its progress and events: 5 queries."""
    return (
        RectificationPlan.objects.filter(pk=pk)
        .select_related("current_version", "closed_by__organisation")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=PlanVersion.objects.select_related("written_by__organisation")
                .prefetch_related(
                    Prefetch(
                        "milestones",
                        queryset=Milestone.objects.select_related("owner_organisation"),
                    )
                )
                .order_by("-number"),
            ),
            _progress(),
            Prefetch("events", queryset=PlanEvent.objects.select_related("user", "version")),
        )
        .first()
    )


def plans_of_year(year: FinancialYear):
    """The plans that ran in `year`: escalated in it, or still open at its start (3)."""
    return (
        RectificationPlan.objects.filter(period__lte=year.last)
        .filter(
            Q(period__gte=year.first)
            | Q(closed_at__isnull=True)
            | Q(closed_at__date__gte=year.first.first_day)
        )
        .select_related("current_version", "closed_by")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=PlanEvent.objects.filter(action=PlanEvent.Action.ACCEPTED),
                to_attr="agreements",
            ),
            Prefetch("progress", queryset=PlanProgress.objects.order_by("period", "at", "pk")),
        )
        .order_by("period", "subject")
    )
