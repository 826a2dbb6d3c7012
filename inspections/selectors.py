"""Reads of the stored inspections that the page, the annual review and the API share."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from opb_portal.comparators.models import Authority
from opb_portal.comparators.selectors import group_in_force

from .models import Inspection, InspectionImport, Kind

# Sandwell, by the ONS code every release gives it.
SANDWELL_CODE = "E08000028"


def sandwell() -> Authority | None:
    return Authority.objects.filter(code=SANDWELL_CODE).first()


def history(authority: Authority | None) -> list[Inspection]:
    """Every inspection and visit of `authority`, newest first (1 query)."""
    if authority is None:
        return []
    return list(Inspection.objects.filter(authority=authority).order_by("-start_date", "kind"))


def between(
    authority: Authority | None, first: datetime.date, last: datetime.date
) -> list[Inspection]:
    """The inspections and visits of `authority` started from `first` to `last`, oldest first."""
    if authority is None:
        return []
    return list(
        Inspection.objects.filter(
            authority=authority, start_date__gte=first, start_date__lte=last
        ).order_by("start_date", "kind")
    )


@dataclass(frozen=True)
class NeighbourLatest:
    """A neighbour, its latest judged inspection and its latest inspection or visit of any kind."""

    authority: Authority
    judged: Inspection | None
    latest: Inspection | None


@dataclass(frozen=True)
class Neighbours:
    group_name: str
    rows: list[NeighbourLatest]


def neighbours_latest(day: datetime.date | None = None) -> Neighbours | None:
    """
    The statistical neighbours in force on `day` (today), each with its latest judgement
    (3 queries: the groups, their members, the members' inspections).
    """
    group = group_in_force(day or timezone.localdate())
    if group is None:
        return None
    members = sorted(group.members.all(), key=lambda a: a.name)
    by_authority: dict[int, list[Inspection]] = {}
    for inspection in Inspection.objects.filter(authority__in=[a.pk for a in members]).order_by(
        "-start_date"
    ):
        by_authority.setdefault(inspection.authority_id, []).append(inspection)
    rows = []
    for authority in members:
        found = by_authority.get(authority.pk, [])
        judged = next((i for i in found if i.kind in Kind.graded() and i.overall), None)
        rows.append(
            NeighbourLatest(authority=authority, judged=judged, latest=found[0] if found else None)
        )
    return Neighbours(group_name=group.name, rows=rows)


def latest_import() -> InspectionImport | None:
    return InspectionImport.objects.select_related("user").first()


def imports(limit: int = 50) -> list[InspectionImport]:
    return list(InspectionImport.objects.select_related("user")[:limit])


def import_changes(record: InspectionImport):
    """An import's changes with their inspections and authorities (1 query)."""
    return record.changes.select_related("inspection__authority")
