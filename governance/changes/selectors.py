"""
Reads of the change control log: the log page, one change's page, and the changes the
annual review's sections (h) and (i) are drafted from.

Each change is shown with what it concerns (`core.subjects`) and, for a change to a KPI's
thresholds, the rule it created (`core.rule_versions`): one query for the changes, then one
a kind for their subjects and one a kind for their rules, however many changes there are.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q

from opb_portal.core import rule_versions, subjects
from opb_portal.periods import FinancialYear

from ..models import Change, ChangeEvent


@dataclass(frozen=True)
class ChangeRow:
    """A change with the subject it concerns and the rule version it created, if any."""

    change: Change
    subject: subjects.Subject | None
    rule: rule_versions.RuleVersion | None

    @property
    def rule_missing(self) -> bool:
        """A change to a KPI's thresholds whose rule has not been added (yet)."""
        return self.change.creates_rule and self.rule is None


def described(changes: list[Change]) -> list[ChangeRow]:
    """Each change with its subject and rule: one query a kind of subject, one a kind of rule."""
    found = subjects.describe(c.subject for c in changes if c.subject)
    rules = rule_versions.find(
        (c.subject, c.in_force_from)
        for c in changes
        if c.creates_rule and rule_versions.versioned(c.subject)
    )
    return [
        ChangeRow(
            change=c,
            subject=found.get(c.subject),
            rule=rules.get((c.subject, c.in_force_from)) if c.creates_rule else None,
        )
        for c in changes
    ]


def change_log() -> tuple[list[ChangeRow], list[ChangeRow]]:
    """
    The log: the open changes (proposed, then agreed, latest in force first) and the closed
    ones, each described. One query for the changes, with who recorded and closed each.
    """
    changes = list(Change.objects.select_related("recorded_by", "closed_by", "superseded_by"))
    rows = described(changes)
    current = sorted(
        (r for r in rows if r.change.is_open),
        key=lambda r: r.change.status != Change.Status.PROPOSED,
    )
    return current, [r for r in rows if not r.change.is_open]


def change_for_page(pk: int) -> ChangeRow | None:
    """One change, its history (with who), what superseded it and what it superseded."""
    change = (
        Change.objects.filter(pk=pk)
        .select_related("recorded_by", "closed_by", "superseded_by", "supersedes")
        .prefetch_related(Prefetch("events", ChangeEvent.objects.select_related("user")))
        .first()
    )
    return described([change])[0] if change else None


def _agreed(changes):
    return changes.filter(status=Change.Status.AGREED)


def agreed_during(year: FinancialYear) -> list[Change]:
    """
    The changes section (h) lists: agreed during the year, or in force from a month of it
    (the 2024 KPIs, agreed before April 2024, are in the 2024-25 review). One query.
    """
    return list(
        _agreed(Change.objects)
        .filter(
            Q(agreed_on__gte=year.first.first_day, agreed_on__lte=year.last.last_day)
            | Q(in_force_from__gte=year.first, in_force_from__lte=year.last)
        )
        .order_by("in_force_from", "agreed_on", "pk")
    )


def proposed_for(year: FinancialYear) -> list[Change]:
    """
    The changes section (i) lists: for the following contract year, proposed, or agreed
    after the year ended (those agreed during it are section (h)'s). One query.
    """
    following = FinancialYear(year.start_year + 1)
    return list(
        Change.objects.filter(
            in_force_from__gte=following.first,
            in_force_from__lte=following.last,
        )
        .filter(
            Q(status=Change.Status.PROPOSED)
            | Q(status=Change.Status.AGREED, agreed_on__gt=year.last.last_day)
        )
        .order_by("in_force_from", "pk")
    )
