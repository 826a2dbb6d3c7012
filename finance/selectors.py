"""
Reads that the finance dashboard, the finance API and (later) the board pack share.

`finance_position(period)` fetches a month's position in a fixed number of
queries, however many years of figures are stored, and derives every figure
the pages show; the pages only render it. Figures are the approved ones.

What is derived, never typed (each is explained on screen by its formula):

- variance of a line or group = forecast outturn − budget;
- income = contract sum + third-party income (budget, or forecast);
- forecast in-year deficit = forecast expenditure − forecast income
  (a surplus is a negative deficit); planned deficit = the same from the budgets;
- variance against plan = forecast in-year deficit − planned deficit;
- forecast cumulative deficit = opening cumulative deficit + forecast in-year deficit;
- the cost of the residential drivers running above plan, from now to 31 March =
  ((children − planned children) × average weekly cost
  + (average weekly cost − planned weekly cost) × planned children) × weeks remaining.
  The first part is the extra placements; the second, the price. A full year
  at this rate uses 52 weeks, as the plan's budget does.

Savings are already counted in the expenditure lines (a delivered saving is
spending that did not happen), so the savings tracker reports delivery against
the target and never adds to the position.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db.models import Prefetch

from opb_portal import rag
from opb_portal.core import reporting
from opb_portal.periods import Period
from opb_portal.submissions.figures import Source, VersionShown, version_shown
from opb_portal.submissions.models import Return
from opb_portal.submissions.selectors import return_with_history

from . import variance
from .models import (
    EXPENDITURE_GROUPS,
    CostDriver,
    DriverFigure,
    FinanceFigure,
    FinanceLine,
    FinanceYear,
    LineGroup,
    LineKind,
    PublishedOutturn,
)

WEEKS_IN_YEAR = 52
DOMAIN = "finance"


def plan_for(period: Period) -> FinanceYear | None:
    """The plan of the financial year `period` falls in, with its lines and drivers (3 queries)."""
    return (
        FinanceYear.objects.filter(start_year=period.financial_year.start_year)
        .prefetch_related(
            Prefetch("lines", queryset=FinanceLine.objects.order_by("order", "pk")),
            Prefetch("drivers", queryset=CostDriver.objects.order_by("order", "pk")),
        )
        .first()
    )


def latest_period() -> Period | None:
    return reporting.latest_period(FinanceFigure.objects)


def reporting_periods() -> list[Period]:
    """Every month with an approved finance figure, newest first (for the period picker)."""
    periods = FinanceFigure.objects.order_by("-period").values_list("period", flat=True)
    return list(periods.distinct())


def published_outturns() -> list[PublishedOutturn]:
    return list(PublishedOutturn.objects.order_by("-start_year"))


def weeks_remaining(period: Period) -> Decimal:
    """Weeks from the end of `period` to 31 March: days / 7, unrounded."""
    year_end = period.financial_year.last.last_day
    return Decimal((year_end - period.last_day).days) / 7


def _whole(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), ROUND_HALF_UP)


def _total(values) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


# --- one line, one group --------------------------------------------------------------


class _Rated:
    """Variance against budget and its RAG: worked out the same for a line and a group."""

    @property
    def variance(self) -> Decimal | None:
        return variance.variance(self.budget, self.forecast_outturn)

    @property
    def status(self) -> rag.Status:
        return variance.status(
            self.kind, self.budget, self.forecast_outturn, allowed=self.tolerance
        )

    @property
    def rule(self) -> str:
        return variance.describe(self.kind, self.budget, percent=self.percent, amount=self.amount)


@dataclass(repr=False)
class LinePosition(_Rated):
    """One line of the plan in one month: budget, figures, variance and RAG."""

    line: FinanceLine
    tolerance: Decimal
    percent: Decimal
    amount: Decimal
    figure: FinanceFigure | None = None

    @property
    def code(self) -> str:
        return self.line.code

    @property
    def name(self) -> str:
        return self.line.name

    @property
    def kind(self) -> str:
        return self.line.kind

    @property
    def group(self) -> str:
        return self.line.group

    @property
    def budget(self) -> Decimal:
        return self.line.budget

    @property
    def actual_to_date(self) -> Decimal | None:
        return self.figure.actual_to_date if self.figure else None

    @property
    def forecast_outturn(self) -> Decimal | None:
        return self.figure.forecast_outturn if self.figure else None

    @property
    def commentary(self) -> str:
        return self.figure.commentary if self.figure else ""

    @property
    def adverse(self) -> Decimal | None:
        return variance.adverse(self.kind, self.budget, self.forecast_outturn)


@dataclass(repr=False)
class GroupPosition(_Rated):
    """The lines of a group added up: a group is rated like a line, on its own budget."""

    group: str
    kind: str
    lines: list[LinePosition]
    percent: Decimal
    amount: Decimal

    @property
    def label(self) -> str:
        return LineGroup(self.group).label if self.group in LineGroup.values else "Expenditure"

    @cached_property
    def budget(self) -> Decimal:
        return sum((line.budget for line in self.lines), Decimal(0))

    @cached_property
    def actual_to_date(self) -> Decimal | None:
        return _total(line.actual_to_date for line in self.lines)

    @cached_property
    def forecast_outturn(self) -> Decimal | None:
        return _total(line.forecast_outturn for line in self.lines)

    @property
    def tolerance(self) -> Decimal:
        return variance.tolerance(self.budget, percent=self.percent, amount=self.amount)


# --- cost drivers -----------------------------------------------------------------------


@dataclass(repr=False)
class DriverPosition:
    driver: CostDriver
    figure: DriverFigure | None
    history: list[Decimal | None]  # April to this month

    @property
    def code(self) -> str:
        return self.driver.code

    @property
    def name(self) -> str:
        return self.driver.name

    @property
    def plan(self) -> Decimal | None:
        return self.driver.plan

    @property
    def value(self) -> Decimal | None:
        return self.figure.value if self.figure else None

    @property
    def commentary(self) -> str:
        return self.figure.commentary if self.figure else ""

    @property
    def difference(self) -> Decimal | None:
        if self.value is None or self.plan is None:
            return None
        return self.value - self.plan


@dataclass(frozen=True)
class DriverCost:
    """What the residential drivers running above plan cost (see the module docstring)."""

    children: Decimal
    planned_children: Decimal
    weekly_cost: Decimal
    planned_weekly_cost: Decimal
    weeks_remaining: Decimal

    @property
    def extra_children(self) -> Decimal:
        return self.children - self.planned_children

    @property
    def volume_per_week(self) -> Decimal:
        return self.extra_children * self.weekly_cost

    @property
    def price_per_week(self) -> Decimal:
        return (self.weekly_cost - self.planned_weekly_cost) * self.planned_children

    @property
    def per_week(self) -> Decimal:
        return self.volume_per_week + self.price_per_week

    @property
    def volume_to_year_end(self) -> Decimal:
        return _whole(self.volume_per_week * self.weeks_remaining)

    @property
    def price_to_year_end(self) -> Decimal:
        return _whole(self.price_per_week * self.weeks_remaining)

    @property
    def to_year_end(self) -> Decimal:
        return self.volume_to_year_end + self.price_to_year_end

    @property
    def full_year(self) -> Decimal:
        return _whole(self.per_week * WEEKS_IN_YEAR)


# --- the month's position -----------------------------------------------------------------


@dataclass
class MonthFigures:
    """A month's finance figures as one return version gives them (`FinanceReturnSpec.figures`)."""

    lines: list[FinanceFigure] = field(default_factory=list)
    drivers: list[DriverFigure] = field(default_factory=list)


@dataclass
class MonthPoint:
    period: Period
    forecast_deficit: Decimal | None


@dataclass(repr=False)
class FinancePosition:
    period: Period
    year: FinanceYear | None
    ret: Return | None = None
    lines: list[LinePosition] = field(default_factory=list)
    drivers: list[DriverPosition] = field(default_factory=list)
    months: list[MonthPoint] = field(default_factory=list)
    weeks_remaining: Decimal = Decimal(0)
    shown: VersionShown | None = None

    # --- the plan
    @property
    def contract_sum(self) -> Decimal | None:
        return self.year.contract_sum if self.year else None

    @property
    def opening_cumulative_deficit(self) -> Decimal | None:
        return self.year.opening_cumulative_deficit if self.year else None

    @property
    def illustrative(self) -> bool:
        return bool(self.year and self.year.illustrative)

    @property
    def has_figures(self) -> bool:
        return any(line.figure for line in self.lines)

    @property
    def missing(self) -> list[LinePosition]:
        """Lines with no approved figure this month (left out of the totals)."""
        if not self.has_figures:
            return []
        return [line for line in self.lines if line.forecast_outturn is None]

    # --- groups
    def _group(self, group: str, kind: str, lines=None) -> GroupPosition:
        year = self.year
        return GroupPosition(
            group=group,
            kind=kind,
            lines=[line for line in self.lines if line.group == group] if lines is None else lines,
            percent=year.variance_tolerance_percent if year else Decimal(0),
            amount=year.variance_tolerance_amount if year else Decimal(0),
        )

    @cached_property
    def expenditure_groups(self) -> list[GroupPosition]:
        return [self._group(group, LineKind.EXPENDITURE) for group in EXPENDITURE_GROUPS]

    @cached_property
    def expenditure(self) -> GroupPosition:
        """Every expenditure line as one group, rated on the whole budget."""
        lines = [line for line in self.lines if line.kind == LineKind.EXPENDITURE]
        return self._group("expenditure", LineKind.EXPENDITURE, lines)

    @cached_property
    def income(self) -> GroupPosition:
        """Third-party income (the contract sum is added in the income figures below)."""
        return self._group(LineGroup.INCOME, LineKind.INCOME)

    @cached_property
    def savings(self) -> GroupPosition:
        return self._group(LineGroup.SAVINGS, LineKind.SAVINGS)

    @property
    def rows(self) -> list[LinePosition | GroupPosition]:
        """Each expenditure group's lines then its total, all expenditure, then income."""
        rows: list[LinePosition | GroupPosition] = []
        for group in self.expenditure_groups:
            rows += [*group.lines, group]
        income = self.income
        return [*rows, self.expenditure, *income.lines, income]

    # --- the position
    @property
    def income_budget(self) -> Decimal | None:
        return None if self.year is None else self.contract_sum + self.income.budget

    @property
    def income_forecast(self) -> Decimal | None:
        third_party = self.income.forecast_outturn
        if self.year is None or not self.has_figures:
            return None
        return self.contract_sum + (third_party or Decimal(0))

    @property
    def expenditure_budget(self) -> Decimal | None:
        return None if self.year is None else self.expenditure.budget

    @property
    def expenditure_actual(self) -> Decimal | None:
        return self.expenditure.actual_to_date

    @property
    def expenditure_forecast(self) -> Decimal | None:
        return self.expenditure.forecast_outturn if self.has_figures else None

    @property
    def planned_deficit(self) -> Decimal | None:
        if self.year is None:
            return None
        return self.expenditure_budget - self.income_budget

    @property
    def forecast_deficit(self) -> Decimal | None:
        """Forecast expenditure − forecast income: positive is a deficit, negative a surplus."""
        if self.expenditure_forecast is None or self.income_forecast is None:
            return None
        return self.expenditure_forecast - self.income_forecast

    @property
    def variance_against_plan(self) -> Decimal | None:
        if self.forecast_deficit is None:
            return None
        return self.forecast_deficit - self.planned_deficit

    @property
    def forecast_cumulative_deficit(self) -> Decimal | None:
        if self.forecast_deficit is None:
            return None
        return self.opening_cumulative_deficit + self.forecast_deficit

    @property
    def planned_cumulative_deficit(self) -> Decimal | None:
        if self.year is None:
            return None
        return self.opening_cumulative_deficit + self.planned_deficit

    @property
    def status(self) -> rag.Status:
        """The whole position rated like a line: the deficit beyond plan against total spending."""
        if self.year is None or self.variance_against_plan is None:
            return rag.Status.MISSING
        allowed = self.expenditure.tolerance
        return rag.evaluate(self.variance_against_plan, variance.bounds(allowed))

    # --- drivers
    def driver(self, measure: str) -> DriverPosition | None:
        return next((d for d in self.drivers if d.driver.measure == measure), None)

    @property
    def driver_cost(self) -> DriverCost | None:
        children = self.driver(CostDriver.Measure.RESIDENTIAL_CHILDREN)
        cost = self.driver(CostDriver.Measure.RESIDENTIAL_WEEKLY_COST)
        if children is None or cost is None:
            return None
        if None in (children.value, children.plan, cost.value, cost.plan):
            return None
        return DriverCost(
            children=children.value,
            planned_children=children.plan,
            weekly_cost=cost.value,
            planned_weekly_cost=cost.plan,
            weeks_remaining=self.weeks_remaining,
        )


def month_deficit(year: FinanceYear, lines, figures: dict[int, FinanceFigure]) -> Decimal | None:
    """
    The forecast in-year deficit of one month's figures, as `FinancePosition` works it out:
    lines without a figure are left out; None when the month has no figure at all.
    """
    if not figures:
        return None
    expenditure = income = Decimal(0)
    for line in lines:
        figure = figures.get(line.pk)
        if figure is None or figure.forecast_outturn is None or line.kind == LineKind.SAVINGS:
            continue
        if line.kind == LineKind.EXPENDITURE:
            expenditure += figure.forecast_outturn
        else:
            income += figure.forecast_outturn
    return expenditure - income - year.contract_sum


def finance_position(period: Period, *, source: Source = Source.APPROVED) -> FinancePosition:
    """
    The position of `period`, with the year's months to date for the chart.

    The month's figures come from `source`: the approved ones, or (for a draft pack) the
    version sent for approval, read by the return spec's `figures` and put in the month's
    place before anything is worked out, so every total is one computation from them.

    7 queries: the year's plan, its lines, its drivers, the month's return and its
    events with their people, the line figures of the year to date, the driver
    figures of the year to date (3 more to read a version that is not approved).
    """
    year = plan_for(period)
    ret = return_with_history(domain=DOMAIN, period=period)
    # Without a plan there is no position to show, whichever version: only the approved.
    shown = version_shown(
        domain=DOMAIN, period=period, ret=ret, source=source if year else Source.APPROVED
    )
    if year is None:
        return FinancePosition(period, None, ret, shown=shown)
    first = period.financial_year.first
    lines = list(year.lines.all())
    drivers = list(year.drivers.all())
    line_figures: dict[Period, dict[int, FinanceFigure]] = defaultdict(dict)
    for figure in FinanceFigure.objects.filter(
        line__year=year, period__gte=first, period__lte=period
    ):
        line_figures[figure.period][figure.line_id] = figure
    driver_figures: dict[Period, dict[int, DriverFigure]] = defaultdict(dict)
    for figure in DriverFigure.objects.filter(
        driver__year=year, period__gte=first, period__lte=period
    ):
        driver_figures[figure.period][figure.driver_id] = figure
    if shown.unapproved:
        given: MonthFigures = shown.figures()
        line_figures[period] = {figure.line_id: figure for figure in given.lines}
        driver_figures[period] = {figure.driver_id: figure for figure in given.drivers}
    months = [first.shift(i) for i in range(period.months_since(first) + 1)]
    percent, amount = year.variance_tolerance_percent, year.variance_tolerance_amount
    now = line_figures.get(period, {})
    return FinancePosition(
        period=period,
        year=year,
        ret=ret,
        lines=[
            LinePosition(
                line=line,
                tolerance=variance.tolerance(line.budget, percent=percent, amount=amount),
                percent=percent,
                amount=amount,
                figure=now.get(line.pk),
            )
            for line in lines
        ],
        drivers=[
            DriverPosition(
                driver=driver,
                figure=driver_figures.get(period, {}).get(driver.pk),
                history=[
                    getattr(driver_figures.get(month, {}).get(driver.pk), "value", None)
                    for month in months
                ],
            )
            for driver in drivers
        ],
        months=[
            MonthPoint(month, month_deficit(year, lines, line_figures.get(month, {})))
            for month in months
        ],
        weeks_remaining=weeks_remaining(period),
        shown=shown,
    )
