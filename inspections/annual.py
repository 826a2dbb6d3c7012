"""
Section (d) of the annual review, drawn from the stored inspections, in the published
review's table (2024-25):

    Inspection / Visit                     Date                    Judgement
    Ofsted Focussed Visit - Front Door     30 and 31 October 2024  No judgement. ...

The contract year's inspections and visits of Sandwell (those that started April to March),
then those since, up to the end of the September after (the review is written over the
summer and reports what Ofsted did meanwhile: the 2024-25 review lists the focused visit of
15 and 16 April 2025). Each row has its recommendations and, under each, the actions of
the actions log about it with their status (`opb_portal.core.followups`). Above the table,
"Current judgements" as the council's reports give them (seed 000): each service's latest
graded inspection by the end of that September.
"""

from __future__ import annotations

import datetime

from opb_portal.boardpack.sections import Section
from opb_portal.periods import FinancialYear

from . import selectors

TITLE = "Section (d) The outcome of any Ofsted monitoring visits and/or Ofsted inspections"
NO_JUDGEMENT = (
    "No judgement. Ofsted will take the findings from this visit into account when planning "
    "the next inspection or visit."
)


def reported_until(year: FinancialYear) -> datetime.date:
    """The last day whose inspections the review of `year` reports: 30 September after it."""
    return datetime.date(year.start_year + 1, 9, 30)


def annual(year: FinancialYear) -> dict:
    """
    Sandwell's inspections and visits of the year, and those since, with their
    recommendations and the actions about them, and the current judgements (5 queries: the
    authority, the year's inspections, their recommendations, every inspection for the
    current judgements, and the actions log's provider).
    """
    authority = selectors.sandwell()
    first, last = year.first.first_day, year.last.last_day
    until = reported_until(year)
    found = selectors.between(authority, first, until)
    current = selectors.current_judgements(selectors.history(authority), until)
    shown = found + [row.inspection for row in current]
    recommendations = selectors.followed(found)
    illustrative = any(i.illustrative for i in shown) or any(
        item.recommendation.illustrative for items in recommendations.values() for item in items
    )
    return {
        "year": year,
        "authority": authority,
        "during": [i for i in found if i.start_date <= last],
        "since": [i for i in found if i.start_date > last],
        # (inspection, its recommendations with their actions), for those that have any.
        "recommended": [(i, recommendations[i.pk]) for i in found if recommendations[i.pk]],
        "current": current,
        "last": last,
        "until": until,
        "no_judgement": NO_JUDGEMENT,
        "illustrative": illustrative,
    }


def register() -> None:
    from opb_portal.boardpack import sections

    sections.register(
        Section(
            key="ofsted",
            title="Ofsted inspections and visits",
            # Beside the KPIs (100) and before finance: the review's own order is by letter.
            order=150,
            annual=annual,
            annual_template="boardpack/inspections/annual.html",
            annual_title=TITLE,
        )
    )
