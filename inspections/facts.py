"""
The Ofsted figures reports say (`opb_portal.reports.facts`), as they stood on a day.

Seed 000 (the Scrutiny report of 24 March 2025), 4.4 and its table: "Seven monitoring
visits and three focused visits have taken place" since April 2018; the ILACS inspection
of May 2022, "requires improvement to be good"; the current judgements of each service.
"""

from __future__ import annotations

import datetime

from django.urls import reverse

from opb_portal.reports.facts import Fact

from . import selectors
from .models import Grade, Inspection, Kind

PREFIX = "inspections"
# The Trust began on 1 April 2018: the reports count the visits since.
SINCE = datetime.date(2018, 4, 1)
HEADINGS = ("Service Area", "Current Judgement")
# Every fact the provider can give (a day before anything is stored gives none).
KEYS = (
    "current_judgements",
    "ilacs_judgement",
    "ilacs_date",
    "monitoring_visits",
    "focused_visits",
)


def source(inspection: Inspection) -> str:
    """Where an inspection comes from, as a report's note says it."""
    if inspection.source_id:
        at = inspection.source.at
        return f"Ofsted's management information, imported {at.day} {at:%B %Y}"
    if inspection.recorded_by_id:
        return f"recorded by {inspection.recorded_by}"
    return "the published reviews, loaded with the demonstration"


def _url(inspection: Inspection) -> str:
    return reverse("inspections:inspection", args=[inspection.pk])


def _sources(inspections: list[Inspection]) -> str:
    return "; ".join(dict.fromkeys(source(i) for i in inspections))


def provider(day: datetime.date) -> list[Fact]:
    """
    Sandwell's Ofsted facts as at `day` (2 queries: the authority, its inspections with
    their imports and recorders); none where no inspection of Sandwell is stored by `day`,
    and no count of visits "since April 2018" before then.
    """
    authority = selectors.sandwell()
    if authority is None:
        return []
    found = list(
        Inspection.objects.filter(authority=authority, start_date__lte=day)
        .select_related("source", "recorded_by")
        .order_by("start_date", "kind")
    )
    if not found:
        # Nothing stored by then (or nothing imported yet): no figure to say, not a nought.
        return []
    facts: list[Fact] = []
    current = selectors.current_judgements(found, day)
    if current:
        shown = [row.inspection for row in current]
        facts.append(
            Fact(
                key="inspections.current_judgements",
                label="Ofsted's current judgements",
                text="The latest judgement of each service Ofsted inspects: "
                + "; ".join(f"{row.service} {row.judgement}" for row in current)
                + ".",
                source=_sources(shown),
                url=reverse("inspections:history"),
                illustrative=any(i.illustrative for i in shown),
                headings=HEADINGS,
                rows=tuple((row.service, row.judgement) for row in current),
            )
        )
    ilacs = next((row.inspection for row in current if row.service == "ILACS"), None)
    if ilacs is not None:
        common = {
            "source": source(ilacs),
            "url": _url(ilacs),
            "illustrative": ilacs.illustrative,
        }
        facts.append(
            Fact(
                key="inspections.ilacs_judgement",
                label="ILACS judgement",
                text=Grade(ilacs.overall).titled,
                **common,
            )
        )
        facts.append(
            Fact(
                key="inspections.ilacs_date",
                label="ILACS inspection",
                text=f"{ilacs.start_date:%B %Y}",
                **common,
            )
        )
    if day < SINCE:
        return facts
    for key, kind, label in (
        ("monitoring_visits", Kind.MONITORING_VISIT, "Monitoring visits since April 2018"),
        ("focused_visits", Kind.FOCUSED_VISIT, "Focused visits since April 2018"),
    ):
        visits = [i for i in found if i.kind == kind and i.start_date >= SINCE]
        made_up = [i for i in visits if i.illustrative]
        facts.append(
            Fact(
                key=f"{PREFIX}.{key}",
                label=label,
                text=str(len(visits)),
                source=_sources(visits) if visits else "no visit stored",
                url=reverse("inspections:history"),
                illustrative=bool(made_up),
                note=(
                    "Illustrative: " + ", ".join(i.dates for i in made_up) + " (the seeds count "
                    "these visits without dating them)."
                    if made_up
                    else ""
                ),
            )
        )
    return facts


def register() -> None:
    from opb_portal.reports import facts

    facts.register(PREFIX, provider, keys=KEYS)
