"""
The workforce figures a report may say (`opb_portal.reports.facts`), as the dashboard shows them.

Each is the approved month's figure at the precision the Trust publishes it (one place), read
through `workforce_position`, the dashboard's own selector: the agency and permanent shares,
the real-time and permanent vacancy rates, and both rates six months before (the Scrutiny
report says "down from 12% in June 2024 to 7.2% in December 2024").

Where a published document gives another figure for the same month, the approved return
says so in its commentary on the line (the demonstration's December 2024: the Scrutiny
report's 16.3% agency against the annual review's table, 16.4%); the fact carries that
commentary as its `note`, so the report uses the portal's figure and says why it differs.
Nothing here names a published figure.
"""

from __future__ import annotations

import datetime

from django.urls import reverse

from opb_portal import formatting
from opb_portal.core.text import moved
from opb_portal.periods import Period
from opb_portal.reports.facts import Fact, month_reported, return_source

from .models import HUNDRED, WorkforceMonth
from .selectors import workforce_position

PREFIX = "workforce"

# Every fact this module can give (the layouts are checked against these).
KEYS = (
    "month",
    "agency_share",
    "permanent_share",
    "social_workers",
    "vacancy_rate",
    "permanent_vacancy_rate",
    "vacancy_rate_from",
    "permanent_vacancy_rate_from",
    "vacancy_rate_movement",
    "permanent_vacancy_rate_movement",
    "from_month",
)
EARLIER = 6  # months: "from 12% in June 2024 to 7.2% in December 2024"


def _url(period: Period) -> str:
    return f"{reverse('workforce:dashboard')}?period={period.iso}"


def _note(month: WorkforceMonth, *codes: str) -> str:
    """The approved return's commentary on the lines a figure is worked out from."""
    return " ".join(month.commentary[code] for code in codes if month.commentary.get(code))


def _movements(month, earlier, *, as_at: str, then: str, source: str, url: str) -> list[Fact]:
    """ "decreased from 12.0% in June 2024 to 7.2% in December 2024", for each vacancy rate."""
    found = []
    for name, code, label in (
        ("vacancy_rate_movement", "RT_VACANCY_RATE", "Vacancy rate over six months"),
        (
            "permanent_vacancy_rate_movement",
            "PERM_VACANCY_RATE",
            "Permanent vacancy rate over six months",
        ),
    ):
        before, after = earlier.published(code), month.published(code)
        if before is None or after is None:
            continue
        verb = moved(before, after, rose="increased", fell="decreased")
        text = (
            f"{verb} from {formatting.percent(before)} in {then} "
            f"to {formatting.percent(after)} in {as_at}"
        )
        if before == after:
            text = f"stayed at {formatting.percent(after)} from {then} to {as_at}"
        found.append(Fact(f"{PREFIX}.{name}", label, text, source=source, url=url, as_at=as_at))
    return found


def workforce_facts(day: datetime.date) -> list[Fact]:
    """
    The workforce facts as they stood on `day`: none without an approved month.
    8 queries: the month's position (7) and the month six months before.
    """
    period = month_reported(day)
    position = workforce_position(period)
    month = position.month
    if month is None:
        return []
    url, as_at = _url(period), period.long
    source = return_source(position.shown)

    def fact(name: str, label: str, text: str, **kwargs) -> Fact:
        return Fact(f"{PREFIX}.{name}", label, text, source=source, url=url, as_at=as_at, **kwargs)

    agency = month.published("PCT_AGENCY")
    facts = [
        fact("month", "The month the workforce figures describe", as_at),
        fact(
            "agency_share",
            "Agency social workers, share of all social workers",
            formatting.percent(agency),
            note=_note(month, "AGENCY"),
        ),
        fact(
            "permanent_share",
            "Permanent social workers, share of all social workers",
            formatting.percent(HUNDRED - agency),
            note=_note(month, "AGENCY"),
        ),
        fact("social_workers", "Social workers (FTE)", formatting.fte(month.total_fte)),
        fact(
            "vacancy_rate",
            "Vacancy rate (real time, agency staff counted in post)",
            formatting.percent(month.published("RT_VACANCY_RATE")),
        ),
        fact(
            "permanent_vacancy_rate",
            "Permanent vacancy rate",
            formatting.percent(month.published("PERM_VACANCY_RATE")),
            note=_note(month, "PERM_EXCL_ASYE"),
        ),
    ]
    earlier_period = period.shift(-EARLIER)
    earlier = WorkforceMonth.objects.filter(period=earlier_period).first()
    if earlier is not None:
        url_then, then = _url(earlier_period), earlier_period.long
        source_then = f"Workforce return for {then}"
        facts += [
            Fact(
                f"{PREFIX}.vacancy_rate_from",
                f"Vacancy rate, {then}",
                formatting.percent(earlier.published("RT_VACANCY_RATE")),
                source=source_then,
                url=url_then,
                as_at=then,
            ),
            Fact(
                f"{PREFIX}.permanent_vacancy_rate_from",
                f"Permanent vacancy rate, {then}",
                formatting.percent(earlier.published("PERM_VACANCY_RATE")),
                source=source_then,
                url=url_then,
                as_at=then,
            ),
            *_movements(month, earlier, as_at=as_at, then=then, source=source, url=url),
            Fact(
                f"{PREFIX}.from_month",
                "The month six months before",
                then,
                source=source_then,
                url=url_then,
                as_at=then,
            ),
        ]
    return facts
