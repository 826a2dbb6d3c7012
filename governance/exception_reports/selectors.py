"""
Reads the exception report pages, the pack, the meeting page and a KPI's page share.

What is due in a month comes from the domains' own judgement (`core.off_track.at`): every
figure off track, whether it needs a report or a plan, with the report and the open plan
on it. A report on a figure no longer off track (its figure was corrected) is still listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import reverse

from opb_portal.boardpack.sections import Missing, shared
from opb_portal.core import off_track, subjects
from opb_portal.core.reporting import latest_period
from opb_portal.periods import Period
from opb_portal.submissions.models import Return

from ..models import (
    ExceptionReport,
    ExceptionReportEvent,
    ExceptionReportVersion,
    PlanProgress,
    RectificationPlan,
)


def report_url(subject: str, period: Period) -> str:
    return reverse("governance:exception_report", args=[period, subject])


@dataclass
class DueRow:
    """A figure off track in the month (or one with a report), its report and open plan."""

    subject: subjects.Subject
    period: Period
    item: off_track.OffTrack | None
    report: ExceptionReport | None = None
    plan: RectificationPlan | None = None

    @property
    def url(self) -> str:
        return report_url(self.subject.ref, self.period)

    @property
    def needs_report(self) -> bool:
        return self.item is not None and self.item.needs_report

    @property
    def missing(self) -> bool:
        """Due and not written: the month's pack cannot be issued."""
        return self.needs_report and self.report is None

    @property
    def plan_due(self) -> bool:
        return self.item is not None and self.item.escalated and self.plan is None

    @property
    def state(self) -> str:
        if self.report is not None:
            return self.report.get_status_display()
        return "Not yet written" if self.needs_report else "Not asked for"


@dataclass
class Due:
    period: Period
    rows: list[DueRow] = field(default_factory=list)

    @property
    def missing(self) -> list[DueRow]:
        return [row for row in self.rows if row.missing]


def due_at(period: Period) -> Due:
    """
    Every figure off track in `period` with its report and open plan: the domains' reads
    (`off_track.at`; the KPIs' is 6 queries), the month's reports with their current
    versions (1), the open plans on those figures (1), and the labels of subjects with a
    report but no longer off track (1 a kind, only when there are such). Once per pack build.
    """
    return shared(("governance.due", period), lambda: _due_at(period))


def _due_at(period: Period) -> Due:
    items = off_track.at(period)
    reports = {
        report.subject: report
        for report in ExceptionReport.objects.filter(period=period).select_related(
            "current_version__written_by", "current_version__owner_organisation"
        )
    }
    refs = [item.subject for item in items]
    plans = {
        plan.subject: plan
        for plan in RectificationPlan.objects.filter(subject__in=refs).exclude(
            status=RectificationPlan.Status.CLOSED
        )
    }
    rows = [
        DueRow(
            subjects.Subject(item.subject, item.label, item.url),
            period,
            item,
            reports.get(item.subject),
            plans.get(item.subject),
        )
        for item in items
    ]
    others = [ref for ref in reports if ref not in set(refs)]
    if others:
        described = subjects.describe(others)
        rows += [DueRow(described[ref], period, None, reports[ref]) for ref in others]
    return Due(period, rows)


def missing_before_issue(period: Period) -> list[Missing]:
    """
    Each figure off track in `period` that needs an exception report and has none (the
    pack's issue check, `boardpack.sections.register_issue_check`). A report counts once
    the Trust has written it: the pack shows it with the council's review of it, and the
    board judges it; the council's acceptance is not needed to issue.
    """
    return [
        Missing(
            f"{row.subject.label} is {row.item.status} in {period.long} and has no exception "
            "report",
            row.url,
        )
        for row in due_at(period).missing
    ]


def months_offered() -> list[Period]:
    """The months the Trust has sent any return for, newest first (1 query)."""
    return list(
        Return.objects.filter(organisation__kind="trust")
        .exclude(status=Return.Status.DRAFT)
        .order_by("-period")
        .values_list("period", flat=True)
        .distinct()
    )


def latest_month() -> Period | None:
    """The latest month the Trust has sent a return for (1 query)."""
    return latest_period(
        Return.objects.filter(organisation__kind="trust").exclude(status=Return.Status.DRAFT)
    )


def report_for_page(subject: str, period: Period) -> ExceptionReport | None:
    """The report with every version (and who wrote it) and every event: 3 queries."""
    return (
        ExceptionReport.objects.filter(subject=subject, period=period)
        .select_related("current_version")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=ExceptionReportVersion.objects.select_related(
                    "written_by__organisation", "owner_organisation"
                ).order_by("-number"),
            ),
            Prefetch(
                "events",
                queryset=ExceptionReportEvent.objects.select_related("user", "version"),
            ),
        )
        .first()
    )


# --- what a subject's own page shows -----------------------------------------------------------


@dataclass
class About:
    """A subject's exception reports (newest first) and rectification plans, for its page."""

    subject: str
    reports: list[ExceptionReport]
    plans: list[RectificationPlan]


def about(subject: str) -> About:
    """Every report on `subject` with its current version (1 query), and its plans with
    their current versions and progress (2 queries)."""
    reports = list(
        ExceptionReport.objects.filter(subject=subject)
        .select_related("current_version__owner_organisation")
        .order_by("-period")
    )
    plans = list(
        RectificationPlan.objects.filter(subject=subject)
        .select_related("current_version")
        .prefetch_related(
            Prefetch("progress", queryset=PlanProgress.objects.order_by("-period", "-at", "-pk"))
        )
        .order_by("-period")
    )
    return About(subject, reports, plans)
