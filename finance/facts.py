"""
The finance figures a report may say (`opb_portal.reports.facts`), as the dashboard shows them.

Each fact is read from the approved return of the month reported at the day asked
(`facts.month_reported`) through `finance_position`, the dashboard's own selector, and its
year's plan: the contract sum and the rise Cabinet approved, the forecast outturn and deficit,
the residential drivers and what they cost, the savings, and next year's plan where one is
kept. A month without an approved return gives only the plan's figures.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse

from opb_portal import formatting
from opb_portal.core.text import moved
from opb_portal.periods import FinancialYear, Period
from opb_portal.reports.facts import Fact, month_reported, return_source

from .models import CostDriver, DriverFigure, FinanceYear
from .selectors import WEEKS_IN_YEAR, FinancePosition, finance_position

PREFIX = "finance"

# Every fact this module can give (the layouts are checked against these).
KEYS = (
    "contract_sum",
    "year",
    "previous_year",
    "contract_sum_previous",
    "contract_sum_rise",
    "contract_sum_rise_percent",
    "forecast_outturn",
    "forecast_income",
    "deficit",
    "cumulative_deficit",
    "opening_cumulative_deficit",
    "savings_target",
    "savings_delivered",
    "residential_children",
    "residential_children_plan",
    "residential_weekly_cost",
    "residential_annual_cost",
    "residential_weekly_cost_march",
    "residential_weekly_cost_movement",
    "next_year",
    "next_year_contract_sum",
    "next_year_planned_deficit",
    "next_year_savings_target",
)
HUNDRED = Decimal(100)


def _plan_source(year: FinanceYear) -> str:
    return f"{year.financial_year.label} plan, set by the administrator"


def _url(period: Period) -> str:
    return f"{reverse('finance:dashboard')}?period={period.iso}"


def _plan_facts(year: FinanceYear, previous: Decimal | None, url: str) -> list[Fact]:
    label = year.financial_year.label
    source = _plan_source(year)
    facts = [
        Fact(
            f"{PREFIX}.contract_sum",
            f"Contract sum {label}",
            formatting.millions(year.contract_sum),
            source=source,
            url=url,
        ),
        Fact(f"{PREFIX}.year", "Financial year", label, source=source, url=url),
    ]
    if previous is None:
        return facts
    rise = year.contract_sum - previous
    facts += [
        Fact(
            f"{PREFIX}.previous_year",
            "Previous financial year",
            FinancialYear(year.start_year - 1).label,
            source=source,
            url=url,
        ),
        Fact(
            f"{PREFIX}.contract_sum_previous",
            "Previous year's contract sum",
            formatting.millions(previous),
            source=source,
            url=url,
        ),
        Fact(
            f"{PREFIX}.contract_sum_rise",
            "Rise in the contract sum on the previous year",
            formatting.millions(rise, places=3),
            source=source,
            url=url,
        ),
    ]
    if previous:
        facts.append(
            Fact(
                f"{PREFIX}.contract_sum_rise_percent",
                "Rise in the contract sum, per cent",
                formatting.percent(rise / previous * HUNDRED),
                source=source,
                url=url,
            )
        )
    return facts


def _position_facts(position: FinancePosition, url: str) -> list[Fact]:
    """The month's approved figures; none where the month has no approved figure."""
    if not position.has_figures:
        return []
    source = return_source(position.shown)
    illustrative = position.illustrative
    as_at = position.period.long

    def fact(name: str, label: str, text: str, **kwargs) -> Fact:
        kwargs.setdefault("illustrative", illustrative)
        return Fact(f"{PREFIX}.{name}", label, text, source=source, url=url, as_at=as_at, **kwargs)

    facts = []
    if position.expenditure_forecast is not None:
        facts.append(
            fact(
                "forecast_outturn",
                "Forecast expenditure for the year",
                formatting.millions(position.expenditure_forecast),
            )
        )
    if position.income_forecast is not None:
        facts.append(
            fact(
                "forecast_income",
                "Forecast income for the year",
                formatting.millions(position.income_forecast),
            )
        )
    if position.forecast_deficit is not None:
        facts += [
            fact(
                "deficit",
                "Forecast in-year deficit (a surplus is negative)",
                formatting.millions(position.forecast_deficit),
            ),
            fact(
                "cumulative_deficit",
                "Forecast cumulative deficit at 31 March",
                formatting.millions(position.forecast_cumulative_deficit),
            ),
            fact(
                "opening_cumulative_deficit",
                "Cumulative deficit brought forward",
                formatting.millions(position.opening_cumulative_deficit),
                illustrative=False,
            ),
        ]
    savings = position.savings
    if savings.lines:
        facts.append(
            fact(
                "savings_target", "Savings target for the year", formatting.millions(savings.budget)
            )
        )
        if savings.forecast_outturn is not None:
            facts.append(
                fact(
                    "savings_delivered",
                    "Savings forecast to be delivered",
                    formatting.millions(savings.forecast_outturn),
                )
            )
    facts += _residential_facts(position, fact)
    return facts


def _residential_facts(position: FinancePosition, fact) -> list[Fact]:
    children = position.driver(CostDriver.Measure.RESIDENTIAL_CHILDREN)
    cost = position.driver(CostDriver.Measure.RESIDENTIAL_WEEKLY_COST)
    facts = []
    if children is not None and children.figure is not None:
        facts.append(
            fact(
                "residential_children",
                "Children in residential placements",
                formatting.number(children.value),
                illustrative=children.figure.illustrative,
            )
        )
        if children.plan is not None:
            facts.append(
                fact(
                    "residential_children_plan",
                    "The plan's residential placements",
                    formatting.number(children.plan),
                    illustrative=False,
                )
            )
    if cost is not None and cost.figure is not None:
        facts.append(
            fact(
                "residential_weekly_cost",
                "Average weekly cost of a residential placement",
                formatting.pounds(cost.value),
                illustrative=cost.figure.illustrative,
            )
        )
    if None not in (children and children.figure, cost and cost.figure):
        # A year at the month's rate, as the Scrutiny report says it: children × weekly cost × 52.
        annual = children.value * cost.value * WEEKS_IN_YEAR
        facts.append(
            fact(
                "residential_annual_cost",
                "A year of residential placements at this rate",
                formatting.millions(annual),
                illustrative=children.figure.illustrative or cost.figure.illustrative,
            )
        )
    return facts


def _march_cost(year: FinanceYear) -> tuple[Fact, Decimal] | None:
    """
    The average weekly residential cost in March before the year: the approved figure of that
    March where the portal holds one, else the plan's assumption, which the plan sets from it.
    """
    march = year.financial_year.first.shift(-1)
    label = f"Average weekly cost of a residential placement, {march.long}"
    key = f"{PREFIX}.residential_weekly_cost_march"
    figure = (
        DriverFigure.objects.filter(
            period=march, driver__measure=CostDriver.Measure.RESIDENTIAL_WEEKLY_COST
        )
        .select_related("driver")
        .first()
    )
    if figure is not None:
        fact = Fact(
            key,
            label,
            formatting.pounds(figure.value),
            url=_url(march),
            source=f"Finance return for {march.long}",
            as_at=march.long,
            illustrative=figure.illustrative,
        )
        return fact, figure.value
    driver = next(
        (d for d in year.drivers.all() if d.measure == CostDriver.Measure.RESIDENTIAL_WEEKLY_COST),
        None,
    )
    if driver is None or driver.plan is None:
        return None
    fact = Fact(
        key,
        label,
        formatting.pounds(driver.plan),
        as_at=march.long,
        source=f"{_plan_source(year)}: the plan's assumption, the cost at its start",
        url=_url(year.financial_year.first),
    )
    return fact, driver.plan


def _cost_movement(march: Fact, now: Fact, before: Decimal, after: Decimal) -> Fact:
    """ "rose from £6,508 in March 2024 to £6,701 as of December 2024" (4.13)."""
    verb = moved(before, after, rose="rose", fell="fell")
    text = f"{verb} from {march.text} in {march.as_at} to {now.text} as of {now.as_at}"
    return Fact(
        f"{PREFIX}.residential_weekly_cost_movement",
        "Average weekly residential cost since the start of the year",
        text,
        source=now.source,
        url=now.url,
        as_at=now.as_at,
        illustrative=now.illustrative or march.illustrative,
    )


def _next_year(year: FinanceYear, url: str) -> list[Fact]:
    following = (
        FinanceYear.objects.filter(start_year=year.start_year + 1).prefetch_related("lines").first()
    )
    if following is None:
        return []
    source = _plan_source(following)
    label = following.financial_year.label
    lines = list(following.lines.all())
    expenditure = sum((line.budget for line in lines if line.kind == "expenditure"), Decimal(0))
    income = sum((line.budget for line in lines if line.kind == "income"), Decimal(0))
    savings = sum((line.budget for line in lines if line.kind == "savings"), Decimal(0))
    illustrative = following.illustrative

    def fact(name: str, text_label: str, text: str, **kwargs) -> Fact:
        return Fact(
            f"{PREFIX}.{name}", text_label, text, source=source, url=url, as_at=label, **kwargs
        )

    facts = [
        fact("next_year", "Next financial year", label),
        fact(
            "next_year_contract_sum",
            f"Contract sum {label} (the plan's)",
            formatting.millions(following.contract_sum),
        ),
    ]
    if lines:
        facts += [
            fact(
                "next_year_planned_deficit",
                f"Planned in-year deficit {label}",
                formatting.millions(expenditure - income - following.contract_sum),
                illustrative=illustrative,
            ),
            fact(
                "next_year_savings_target",
                f"Savings target {label}",
                formatting.pounds(savings),
                illustrative=illustrative,
            ),
        ]
    return facts


def finance_facts(day: datetime.date) -> list[Fact]:
    """
    The finance facts as they stood on `day` (see the module docstring). 9 queries: the
    month's position (7), the March before the year, next year's plan with its lines (2).
    """
    period = month_reported(day)
    position = finance_position(period)
    year = position.year
    if year is None:
        return []
    url = _url(period)
    previous_year = FinanceYear.objects.filter(start_year=year.start_year - 1).first()
    previous = previous_year.contract_sum if previous_year else year.previous_contract_sum
    facts = _plan_facts(year, previous, url)
    facts += _position_facts(position, url)
    march = _march_cost(year)
    if march is not None:
        facts.append(march[0])
        now = next((f for f in facts if f.key == f"{PREFIX}.residential_weekly_cost"), None)
        cost = position.driver(CostDriver.Measure.RESIDENTIAL_WEEKLY_COST)
        if now is not None:
            facts.append(_cost_movement(march[0], now, march[1], cost.value))
    facts += _next_year(year, url)
    return facts
