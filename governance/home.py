"""
Governance's panels on the home page (`opb_portal.core.home`): the board's overdue actions,
the exception reports waiting for the council's acceptance, and those the council asked the
Trust to say more on.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from opb_portal.accounts.permissions import SUBMITTERS
from opb_portal.accounts.roles import Role
from opb_portal.core import home, subjects

from .actions import selectors as actions
from .exception_reports.selectors import report_url
from .exception_reports.services import may_write
from .models import Action, ExceptionReport


@dataclass(frozen=True)
class Report:
    """An exception report as a home page lists it: what it is about, and its page."""

    report: ExceptionReport
    subject: subjects.Subject

    @property
    def url(self) -> str:
        return report_url(self.report.subject, self.report.period)


def overdue_actions(user, *, day: datetime.date | None = None) -> list[actions.Row]:
    """
    The open actions past their due date, the longest overdue first: the actions with their
    people and meetings (1 query), and what they are about (1 query a kind of subject).
    """
    day = day or timezone.localdate()
    late = actions.actions_log(status=Action.Status.OPEN, day=day).filter(due__lt=day)
    return actions.rows(late, day)


def _reports(queryset) -> list[Report]:
    found = list(queryset.select_related("current_version"))
    described = subjects.describe(report.subject for report in found)
    return [Report(report, described[report.subject]) for report in found]


def awaiting_acceptance(user) -> list[Report]:
    """
    The exception reports the Trust has written and the council has not yet accepted or
    answered, the longest waiting first: the reports with their versions (1 query) and what
    they are about (1 query a kind of subject).
    """
    return _reports(
        ExceptionReport.objects.filter(status=ExceptionReport.Status.SUBMITTED).order_by(
            "current_version__written_at", "pk"
        )
    )


def more_asked(user) -> list[Report] | None:
    """
    The exception reports on the person's own returns' figures the council asked more of
    (1 query, and 1 a kind of subject when there are any); None, leaving the panel out, when
    there are none.
    """
    found = ExceptionReport.objects.filter(status=ExceptionReport.Status.MORE_ASKED).order_by(
        "period", "subject"
    )
    own = [report for report in _reports(found) if may_write(user, report.report.domain)]
    return own or None


def register() -> None:
    """Governance's home panels; called from `GovernanceConfig.ready()`."""
    home.register(
        home.HomePanel(
            key="governance.overdue_actions",
            title="Overdue actions",
            order=20,
            template="governance/home/overdue_actions.html",
            build=overdue_actions,
            audience=frozenset({Role.BOARD_MEMBER, Role.ADMINISTRATOR}),
        )
    )
    home.register(
        home.HomePanel(
            key="governance.awaiting_acceptance",
            title="Exception reports waiting for acceptance",
            order=20,
            template="governance/home/awaiting_acceptance.html",
            build=awaiting_acceptance,
            audience=frozenset({Role.REVIEWER, Role.ADMINISTRATOR}),
        )
    )
    home.register(
        home.HomePanel(
            key="governance.more_asked",
            title="Exception reports the council asked more of",
            order=20,
            template="governance/home/more_asked.html",
            build=more_asked,
            audience=frozenset({SUBMITTERS}),
        )
    )
