"""Reads of the stored inspections that the page, the annual review and the API share."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from opb_portal.comparators.models import Authority
from opb_portal.comparators.selectors import group_in_force
from opb_portal.core import followups

from .models import SERVICES, Grade, Inspection, InspectionImport, Kind, Recommendation

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
    """
    The inspections and visits of `authority` started from `first` to `last`, oldest first,
    with their recommendations (2 queries).
    """
    if authority is None:
        return []
    return list(
        Inspection.objects.filter(authority=authority, start_date__gte=first, start_date__lte=last)
        .order_by("start_date", "kind")
        .prefetch_related(_RECOMMENDATIONS)
    )


_RECOMMENDATIONS = Prefetch("recommendations", queryset=Recommendation.objects.order_by("number"))


def inspection_for_page(pk: int) -> Inspection | None:
    """One inspection with its authority, who recorded it, its import and its recommendations
    (2 queries)."""
    return (
        Inspection.objects.select_related("authority", "recorded_by", "source__user")
        .prefetch_related(_RECOMMENDATIONS)
        .filter(pk=pk)
        .first()
    )


def recommendation_for_page(pk: int) -> Recommendation | None:
    """One recommendation with its inspection (1 query)."""
    return Recommendation.objects.select_related("inspection__authority").filter(pk=pk).first()


@dataclass(frozen=True)
class Followed:
    """A recommendation with the actions of the actions log about it."""

    recommendation: Recommendation
    actions: list[followups.FollowUp]


def followed(inspections: list[Inspection]) -> dict[int, list[Followed]]:
    """
    Each inspection's recommendations (prefetched) with their actions, by inspection pk: the
    actions are asked for in one call to the actions log's provider (its queries: 1).
    """
    recommendations = [r for i in inspections for r in i.recommendations.all()]
    found = followups.about(r.subject_ref for r in recommendations)
    return {
        inspection.pk: [
            Followed(r, found.get(r.subject_ref, [])) for r in inspection.recommendations.all()
        ]
        for inspection in inspections
    }


@dataclass(frozen=True)
class CurrentJudgement:
    """A service's latest graded inspection as at a day: the council's "Current judgements"."""

    service: str
    inspection: Inspection

    @property
    def judgement(self) -> str:
        """ "Requires Improvement to be Good (2022)", "Good (December 2022)", as seed 000 has."""
        when = self.inspection.start_date
        # The council's table dates the authority's inspection by its year, the agencies'
        # by their month.
        shown = f"{when:%Y}" if self.service in ("ILACS", "SIF") else f"{when:%B %Y}"
        return f"{Grade(self.inspection.overall).titled} ({shown})"


def current_judgements(found: list[Inspection], day: datetime.date) -> list[CurrentJudgement]:
    """From `found` (any order), each service's latest inspection with an overall judgement
    that started by `day`, in the council's order (ILACS, adoption, fostering); no query."""
    rows = []
    for service, kinds in SERVICES:
        judged = [i for i in found if i.kind in kinds and i.overall and i.start_date <= day]
        if judged:
            latest = max(judged, key=lambda i: i.start_date)
            named = "SIF" if latest.kind == Kind.SIF else service
            rows.append(CurrentJudgement(named, latest))
    return rows


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
