"""
Ofsted's recommendations as subjects of the actions log (`opb_portal.core.subjects`).

A recommendation's reference is `recommendation:<kind>/<first day>/<number>` of one of
Sandwell's inspections (`recommendation:fostering_agency/2024-10-14/1`): made of what never
changes, so an action keeps its subject across databases and the demonstration's actions can
name theirs. The actions about a recommendation are read back through
`opb_portal.core.followups`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Q
from django.urls import reverse

from opb_portal.core import subjects
from opb_portal.periods import Period

from .models import Recommendation
from .selectors import SANDWELL_CODE

KIND = "recommendation"


def _subject(recommendation: Recommendation) -> subjects.Subject:
    inspection = recommendation.inspection
    return subjects.Subject(
        ref=recommendation.subject_ref,
        label=f"{inspection.get_kind_display()}, {inspection.dates}: recommendation "
        f"{recommendation.number}",
        url=reverse("inspections:inspection", args=[inspection.pk]),
    )


def _sandwells():
    return Recommendation.objects.filter(inspection__authority__code=SANDWELL_CODE).select_related(
        "inspection"
    )


def choices(period: Period) -> list[subjects.Subject]:
    """Every recommendation of Sandwell's inspections, newest inspection first (1 query)."""
    found = _sandwells().order_by("-inspection__start_date", "inspection__kind", "number")
    return [_subject(r) for r in found]


def _parse(key: str) -> tuple[str, datetime.date, int] | None:
    kind, _, rest = key.partition("/")
    day, _, number = rest.partition("/")
    try:
        return kind, datetime.date.fromisoformat(day), int(number)
    except ValueError:
        return None


def describe(keys: Iterable[str]) -> dict[str, subjects.Subject]:
    """The recommendations of `keys` that Sandwell's inspections still have (1 query)."""
    wanted = Q(pk__in=[])
    for key in keys:
        parsed = _parse(key)
        if parsed is not None:
            kind, day, number = parsed
            wanted |= Q(inspection__kind=kind, inspection__start_date=day, number=number)
    return {r.key: _subject(r) for r in _sandwells().filter(wanted)}


def register() -> None:
    subjects.register(
        subjects.SubjectKind(
            kind=KIND,
            noun="Ofsted recommendation",
            choices=choices,
            describe=describe,
            # After the Improvement Plan's actions (60) and the audits (70).
            order=80,
        )
    )
