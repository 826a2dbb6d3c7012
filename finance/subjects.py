"""
Finance lines as subjects of accountability records (`opb_portal.core.subjects`).

A line's reference is `finance:<code>` (`finance:PLACEMENTS`): a line keeps its code from
year to year, so an action on it follows it into the next year's plan.
"""

from collections.abc import Iterable

from django.urls import reverse

from opb_portal.core import subjects
from opb_portal.periods import Period

from .models import FinanceLine

KIND = "finance"


def subject_of(line: FinanceLine) -> subjects.Subject:
    return subjects.Subject(
        ref=subjects.ref(KIND, line.code),
        label=f"Finance: {line.name}",
        url=reverse("finance:dashboard"),
    )


def choices(period: Period) -> list[subjects.Subject]:
    """The lines of the plan for `period`'s financial year (one query)."""
    lines = FinanceLine.objects.filter(year__start_year=period.financial_year.start_year)
    return [subject_of(line) for line in lines]


def describe(keys: Iterable[str]) -> dict[str, subjects.Subject]:
    """Each code's latest line (one query): the name it has in the newest plan."""
    found: dict[str, subjects.Subject] = {}
    for line in FinanceLine.objects.filter(code__in=list(keys)).order_by("year__start_year"):
        found[line.code] = subject_of(line)
    return found


def register() -> None:
    subjects.register(
        subjects.SubjectKind(
            kind=KIND, noun="Finance line", choices=choices, describe=describe, order=20
        )
    )
