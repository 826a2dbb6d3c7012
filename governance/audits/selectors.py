"""
Reads of the audits and surveys: the list, one audit's page and the annual review's
section (c).

Each audit comes with its figures (one prefetch): 2 queries however many audits. A
measure's figures read as the review writes them: "Practice Review compliance rose from
88.5% in November 2024 to 97.1% in May 2025".
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q

from opb_portal import formatting
from opb_portal.periods import FinancialYear

from ..models import Audit, AuditFigure


def written(percent: Decimal) -> str:
    """A figure as the audit gave it, with its %: `88.5%`, `59%`."""
    return f"{formatting.as_given(percent)}%"


def month(day: datetime.date) -> str:
    return f"{day:%B %Y}"


@dataclass(frozen=True)
class Measure:
    """One measure an audit took over time, its figures oldest first."""

    name: str
    figures: list[AuditFigure]

    @property
    def first(self) -> AuditFigure:
        return self.figures[0]

    @property
    def last(self) -> AuditFigure:
        return self.figures[-1]

    @property
    def sentence(self) -> str:
        """From its first figure to its last, in the review's words."""
        first, last = self.first, self.last
        if len(self.figures) == 1:
            return f"{self.name} was {written(first.percent)} in {month(first.as_at)}"
        if last.percent > first.percent:
            moved = "rose"
        elif last.percent < first.percent:
            moved = "fell"
        else:
            return (
                f"{self.name} stayed at {written(last.percent)} from {month(first.as_at)} "
                f"to {month(last.as_at)}"
            )
        return (
            f"{self.name} {moved} from {written(first.percent)} in {month(first.as_at)} "
            f"to {written(last.percent)} in {month(last.as_at)}"
        )


@dataclass(frozen=True)
class AuditRow:
    """An audit with its measures, each with its figures oldest first."""

    audit: Audit
    measures: list[Measure]

    @property
    def latest(self) -> AuditFigure | None:
        """Its latest figure (of its first measure, where two were taken that day)."""
        lasts = [m.last for m in self.measures]
        return max(lasts, key=lambda f: f.as_at, default=None)

    @property
    def figures(self) -> list[AuditFigure]:
        return sorted(
            (f for m in self.measures for f in m.figures), key=lambda f: (f.as_at, f.measure)
        )


def _measures(figures: Iterable[AuditFigure]) -> list[Measure]:
    by_name: dict[str, list[AuditFigure]] = {}
    for figure in sorted(figures, key=lambda f: f.as_at):
        by_name.setdefault(figure.measure, []).append(figure)
    return [Measure(name, found) for name, found in by_name.items()]


def _audits():
    return Audit.objects.prefetch_related(
        Prefetch("figures", AuditFigure.objects.order_by("as_at", "measure", "pk"))
    )


def _rows(audits: Iterable[Audit]) -> list[AuditRow]:
    return [AuditRow(audit, _measures(audit.figures.all())) for audit in audits]


def audit_list() -> list[AuditRow]:
    """Every audit and survey, latest started first, with its figures (2 queries)."""
    return _rows(_audits())


def audit_for_page(pk: int) -> AuditRow | None:
    """One audit with its figures (2 queries), or None."""
    return next(iter(_rows(_audits().filter(pk=pk))), None)


def during(year: FinancialYear) -> list[AuditRow]:
    """
    The audits and surveys that ran in `year`: started by its last day, and finished on or
    after its first (or not finished), earliest started first (2 queries).
    """
    first, last = year.first.first_day, year.last.last_day
    found = _audits().filter(Q(finished__isnull=True) | Q(finished__gte=first), started__lte=last)
    return _rows(found.order_by("started", "pk"))
