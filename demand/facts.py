"""
The demand figures a report may say (`opb_portal.reports.facts`), as the demand page shows them.

Demand figures are published at 31 March (and the foster and residential placements month by
month), so each fact is the latest figure by the month reported (`facts.month_reported`):
children we care for and their rate per 10,000 with the statistical neighbours' average,
children on a child protection plan, children in need, care experienced young people, and
children in residential placements with their share of the children we care for, where both
are counted at the same month.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse

from opb_portal import formatting
from opb_portal.comparators.selectors import neighbour_average
from opb_portal.periods import Period
from opb_portal.reports.facts import Fact, month_reported

from .models import MeasureValue
from .selectors import IN_CARE, Figure, figure, populations

PREFIX = "demand"

# Every fact this module can give (the layouts are checked against these).
KEYS = (
    "children_in_care",
    "children_in_care_rate",
    "children_in_care_rate_neighbours",
    "child_protection_plans",
    "child_protection_plans_rate",
    "children_in_need",
    "children_in_need_rate",
    "care_experienced",
    "strengthening_families",
    "referrals",
    "referrals_rate",
    "residential_children",
    "residential_share",
)
# (fact name, measure code): the counts at 31 March a report says.
COUNTS = (
    ("children_in_care", IN_CARE),
    ("child_protection_plans", "cp_plans"),
    ("children_in_need", "children_in_need"),
    ("care_experienced", "care_experienced"),
    # The Trust's targeted early help service is Strengthening Families.
    ("strengthening_families", "early_help"),
    ("referrals", "referrals"),
)
RESIDENTIAL = "placed_residential"
HUNDRED = Decimal(100)


def _url(period: Period) -> str:
    return f"{reverse('demand:dashboard')}?period={period.iso}"


def _latest(period: Period) -> dict[str, Figure]:
    """The latest figure of each measure by `period`, yearly before monthly (2 queries)."""
    values = (
        MeasureValue.objects.filter(period__lte=period)
        .select_related("measure")
        .order_by("measure_id", "-period", "-span")
    )
    children = populations()
    found: dict[str, Figure] = {}
    for value in values:
        found.setdefault(value.measure.code, figure(value, children))
    return found


def _fact(name: str, label: str, text: str, found: Figure, **kwargs) -> Fact:
    value = found.value
    source = value.source or f"Demand figures, {value.label}"
    return Fact(
        f"{PREFIX}.{name}",
        label,
        text,
        source=source,
        url=_url(value.period),
        as_at=value.label,
        **kwargs,
    )


def _neighbours(found: Figure) -> Fact | None:
    """The neighbours' published average rate, else their mean, of the figure's year or the one
    before (published a year behind). 4 queries a year tried."""
    year = found.value.period.year
    for tried in (year, year - 1):
        average = neighbour_average(found.measure.code, tried)
        value = average.published.value if average.published else average.mean
        if value is not None:
            source = (
                f"Statistical neighbours' published average, {tried}"
                if average.published
                else f"Mean of {average.used} statistical neighbours' figures, {tried}"
            )
            return Fact(
                f"{PREFIX}.children_in_care_rate_neighbours",
                "Children we care for per 10,000, statistical neighbours",
                formatting.number(value, 1),
                source=source,
                url=reverse("demand:benchmark", args=[found.measure.code]),
                as_at=f"31 March {tried}",
            )
    return None


def demand_facts(day: datetime.date) -> list[Fact]:
    """The demand facts as they stood on `day`: the latest published figures by its month."""
    found = _latest(month_reported(day))
    facts = []
    for name, code in COUNTS:
        if code in found:
            shown = found[code]
            facts.append(_fact(name, shown.measure.title, shown.shown, shown))
            if shown.rate is not None:
                facts.append(
                    _fact(
                        f"{name}_rate",
                        f"{shown.measure.title} per 10,000 children",
                        formatting.number(shown.rate, 1),
                        shown,
                    )
                )
    if IN_CARE in found:
        neighbours = _neighbours(found[IN_CARE])
        if neighbours is not None:
            facts.append(neighbours)
    # A month's placements count says the month: one more than a year old is not said.
    if RESIDENTIAL in found and found[RESIDENTIAL].value.period > month_reported(day).shift(-12):
        residential = found[RESIDENTIAL]
        facts.append(
            _fact(
                "residential_children",
                "Children in residential placements",
                residential.shown,
                residential,
            )
        )
        in_care = found.get(IN_CARE)
        if in_care is not None and in_care.value.period == residential.value.period:
            share = residential.number / in_care.number * HUNDRED
            facts.append(
                _fact(
                    "residential_share",
                    "Children in residential placements, share of children we care for",
                    formatting.percent(share, 0),
                    residential,
                )
            )
    return facts
