"""
The Improvement Plan's actions as subjects of the actions log (`opb_portal.core.subjects`),
so the board can raise an action about one: `improvement:<id>`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from opb_portal.core import subjects
from opb_portal.periods import Period

from ..models import ImprovementAction

KIND = "improvement"


def ref_of(action: ImprovementAction) -> str:
    return subjects.ref(KIND, str(action.pk))


def _subject(action: ImprovementAction) -> subjects.Subject:
    return subjects.Subject(
        ref=ref_of(action),
        label=f"Improvement Plan {action.priority.plan.year}: {action.reference} {action.title}",
        url=reverse("governance:improvement_action", args=[action.pk]),
    )


def _actions():
    return ImprovementAction.objects.select_related("priority__plan").order_by(
        "-priority__plan__start_year", "priority__number", "number"
    )


def choices(period: Period) -> list[subjects.Subject]:
    """Every plan's actions, the latest plan's first (one query): a plan outlives its year."""
    return [_subject(a) for a in _actions()]


def describe(keys: Iterable[str]) -> dict[str, subjects.Subject]:
    """The actions of `keys` that still exist (one query)."""
    pks = [int(k) for k in keys if k.isdigit()]
    return {str(a.pk): _subject(a) for a in _actions().filter(pk__in=pks)}


def register() -> None:
    subjects.register(
        subjects.SubjectKind(
            kind=KIND,
            noun="Improvement Plan action",
            choices=choices,
            describe=describe,
            order=60,
        )
    )
