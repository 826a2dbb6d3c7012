"""
The demand page of the board pack and the demand part of section (f) of the annual review.

Registered with `opb_portal.boardpack.sections` from `DemandConfig.ready()`. Every figure
comes from the dashboard's selectors (`demand_position`, and finance's "demand against
plan" panel) and the comparator store's (`opb_portal.comparators.selectors.comparator_lines`),
and every chart from `demand.charts`, so paper and screen agree.

Where it goes: order 400, after the KPI pages, finance (200) and the workforce (300),
before the appendices (800). The annual review takes its parts in the same order, so
demand follows section (e) finance and the workforce's part of section (f), as the
Trust's published review runs.

No gate on issuing (`domain` left empty): a section's `domain` makes issuing the pack
wait for that month's return of the domain to be approved, and the demonstration has no
approved activity return for every month, so an "activity" domain here would make every
demonstration pack a draft. The page shows only approved or published figures (a
`MeasureValue` is written when an activity return is approved, or loaded from a
published source), so there is nothing unapproved to hold back. Gate it by setting
`domain="activity"` once every month's activity return is expected to be approved.

Demand against the plan's assumptions is finance's: on the finance pages, beside the cost
drivers it costs, and here only in the annual review (which shows approved figures only),
through the same panel and partial as the demand dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from opb_portal import formatting
from opb_portal.boardpack.sections import HeadlineItem, Section, shared
from opb_portal.boardpack.sections import register as register_section
from opb_portal.comparators.selectors import ComparatorLines, comparator_lines
from opb_portal.periods import FinancialYear, Period

from . import charts, selectors
from .models import Measure, MeasureValue

# One line: the summary is one page, and the KPIs already give the child protection
# plan rate (PI4) and the finance section the residential placements.
HEADLINE_CODES = ("children_in_care",)
TREND_CODES = ("children_in_care", "cp_plans", "children_in_need", "care_experienced")
TREND_TITLE = "Children we care for, on a plan and in need, at 31 March"


def pack_position(period: Period) -> selectors.DemandPosition:
    """The dashboard's position of `period`, read once per pack."""
    return shared(("demand.position", period), lambda: selectors.demand_position(period))


def pack_comparators(period: Period) -> dict[str, ComparatorLines]:
    """The comparators of the year's rates per 10,000, read once per pack."""
    position = pack_position(period)
    codes = [found.measure.code for found in position.rates]
    return shared(
        ("demand.comparators", period),
        lambda: comparator_lines(codes, until=period),
    )


def _rate_text(rate) -> str:
    """A rate per 10,000 as published: one decimal place (`95.2`, `70.0`), grouped."""
    return formatting.number(rate, 1)


@dataclass
class RateRow:
    """One of the year's rates per 10,000 beside its comparators."""

    figure: selectors.Figure
    comparators: ComparatorLines

    @property
    def number(self) -> str:
        return self.figure.measure.format_value(self.figure.number)

    @property
    def compared(self) -> str:
        """`neighbours 95.2 (10 of 10), England 70.0 (DfE, children looked after, year to 31
        March 2024)`, with Sandwell's published rate first where there is one."""
        return self.comparators.sentence(_rate_text)

    @property
    def compared_briefly(self) -> str:
        """`Statistical neighbour average: 95.2, England: 70.0 (March 2024)`: for the summary."""
        if not self.comparators:
            return ""
        figures = ", ".join(f"{c.label}: {_rate_text(c.value)}" for c in self.comparators)
        return f"{figures} ({self.comparators[0].when})"


def _rate_rows(position, comparators) -> list[RateRow]:
    return [
        RateRow(found, comparators.get(found.measure.code) or ComparatorLines())
        for found in position.rates
    ]


def _population(rows: list[RateRow]) -> str | None:
    """The child population the year's rates are worked out from: `86,835`."""
    children = next((row.figure.children for row in rows if row.figure.children), None)
    return None if children is None else f"{children:,}"


def _rate_charts(position, comparators) -> list[tuple[Measure, str]]:
    """One chart per measure with comparators: Sandwell's rates, the comparators as lines."""
    return [
        (
            trend.measure,
            charts.rate_chart(trend, position.year_ends, comparators[trend.measure.code]),
        )
        for trend in position.trends
        if comparators.get(trend.measure.code)
    ]


def build(period: Period) -> dict:
    position = pack_position(period)
    comparators = pack_comparators(period)
    rates = _rate_rows(position, comparators)
    return {
        "period": period,
        "position": position,
        "rates": rates,
        "population": _population(rates),
        "rate_charts": _rate_charts(position, comparators),
        "trend_chart": charts.trends_chart(position, TREND_CODES, title=TREND_TITLE),
        "foster_chart": charts.foster_chart(position),
    }


def headline_url(period: Period) -> str:
    """The page the summary's lines come from, for the month: the home page links them there."""
    return f"{reverse('demand:dashboard')}?period={period.iso}"


def headline(period: Period) -> list[HeadlineItem]:
    """Children we care for: the count, the rate and how it compares."""
    position = pack_position(period)
    comparators = pack_comparators(period)
    items = []
    for row in _rate_rows(position, comparators):
        found = row.figure
        if found.measure.code not in HEADLINE_CODES:
            continue
        rate = f" ({found.rate} per 10,000)" if found.rate is not None else ""
        note = found.value.label + (f"; {row.compared_briefly}" if row.comparators else "")
        items.append(
            HeadlineItem(
                found.measure.title,
                f"{found.measure.format_value(found.number)}{rate}",
                note=note,
                status=found.status.value if found.status else None,
            )
        )
    return items


def sources(period: Period) -> set[int]:
    """The activity return versions behind the figures the page shows (1 query)."""
    year_end = pack_position(period).year_end
    return set(
        MeasureValue.objects.filter(period__lte=year_end, version__isnull=False)
        .values_list("version_id", flat=True)
        .distinct()
    )


# --- the annual review: section (f) ---------------------------------------------------------


def annual(year: FinancialYear) -> dict:
    """The year's demand at 31 March and over the year, against the plan's assumptions."""
    period = year.last
    position = selectors.demand_position(period)
    comparators = comparator_lines([found.measure.code for found in position.rates], until=period)
    rates = _rate_rows(position, comparators)
    return {
        "year": year,
        "position": position,
        "rates": rates,
        "population": _population(rates),
        "at_end": [row for row in position.trend_rows if row[0].kind == Measure.Kind.AT_END],
        # The care leavers' outcomes are the care experienced part's (`care_experienced`).
        "totals": [
            row
            for row in position.trend_rows
            if row[0].kind == Measure.Kind.TOTAL and row[0].code not in selectors.CARE_LEAVERS
        ],
        "foster": [
            (trend.measure, [trend.figures.get(p) for p in position.months])
            for trend in position.foster
        ],
        "plan": position.plan,
    }


# --- registration -------------------------------------------------------------------------


def register() -> None:
    """Called from `DemandConfig.ready()`: the demand page and part of section (f), and the
    care experienced young people's part of section (f) after it."""
    from . import care_experienced

    care_experienced.register()
    register_section(
        Section(
            key="demand",
            title="Demand: children, placements and how Sandwell compares",
            order=400,
            template="boardpack/demand/pack.html",
            build=build,
            domain="",  # no gate on issuing: see the module docstring
            headline=headline,
            headline_url=headline_url,
            headline_title="Demand",
            sources=sources,
            annual=annual,
            annual_template="boardpack/demand/annual.html",
            annual_title=(
                "Section (f) Demand analysis against assumptions and models: "
                "children's services demand"
            ),
        )
    )
