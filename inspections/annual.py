"""
Section (d) of the annual review, drawn from the stored inspections, in the published
review's table (2024-25):

    Inspection / Visit                     Date                    Judgement
    Ofsted Focussed Visit - Front Door     30 and 31 October 2024  No judgement. ...

The contract year's inspections and visits of Sandwell (those that started April to March),
then those since, up to the end of the September after (the review is written over the
summer and reports what Ofsted did meanwhile: the 2024-25 review lists the focused visit of
15 and 16 April 2025).
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
    """Sandwell's inspections and visits of the year, and those since, for the table."""
    authority = selectors.sandwell()
    first, last = year.first.first_day, year.last.last_day
    found = selectors.between(authority, first, reported_until(year))
    return {
        "year": year,
        "authority": authority,
        "during": [i for i in found if i.start_date <= last],
        "since": [i for i in found if i.start_date > last],
        "last": last,
        "until": reported_until(year),
        "no_judgement": NO_JUDGEMENT,
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
