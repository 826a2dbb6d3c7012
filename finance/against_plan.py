"""
Demand against the plan's assumptions: the cost drivers the finance plan assumed, beside
the month's approved actuals, and what the difference costs.

Finance owns it: the drivers, their plan and their monthly figures are the plan's and the
finance return's, and the cost is worked out by finance's own rule (`DriverCost`). The
finance pages of the board pack show it directly; the demand dashboard, its API and its
part of the annual review show it as a panel (`opb_portal.core.panels`, key
`AGAINST_PLAN`), drawn by the one partial `finance/templates/finance/partials/against_plan.html`,
so screen and paper read the same. The one figure that is demand's, the latest count of
children we care for, comes through `opb_portal.core.counts`: no domain imports another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from opb_portal.core import counts, panels
from opb_portal.core.api import figure
from opb_portal.core.counts import Count
from opb_portal.formatting import MISSING, number, percent, pounds
from opb_portal.periods import Period

from .models import CostDriver, DriverFigure
from .selectors import (
    DriverCost,
    DriverPosition,
    FinancePosition,
    plan_for,
    weeks_remaining,
)

# The key the demand pages ask for this panel by.
AGAINST_PLAN = "finance.against_plan"
# The key demand keeps its count of children we care for under (`opb_portal.core.counts`).
IN_CARE = "children_in_care"


@dataclass(frozen=True)
class Assumption:
    """One of the plan's assumptions beside the month's actual, written as the pages show it."""

    label: str
    plan: Decimal | None
    actual: Decimal | None
    actual_from: str  # "the finance return" or the date of a count: "31 March 2025"
    money: bool = False
    unit: str = "children"  # a driver's unit ("%", "FTE", "children"): how its figures read

    @property
    def difference(self) -> Decimal | None:
        if self.plan is None or self.actual is None:
            return None
        return self.actual - self.plan

    def _text(self, value: Decimal | None, *, signed: bool = False) -> str:
        if value is None:
            return MISSING
        if self.money:
            return pounds(value, signed=signed)
        if self.unit == "%":  # a share: 19.1%, and a move of it in points: +4.1 points
            return f"{number(value, 1, signed=True)} points" if signed else percent(value, 1)
        if self.unit == "FTE":
            return number(value, 2, signed=signed)
        return f"{value:+,}" if signed else f"{value:,}"

    @property
    def plan_text(self) -> str:
        return "No assumption" if self.plan is None else self._text(self.plan)

    @property
    def actual_text(self) -> str:
        return "No approved figure" if self.actual is None else self._text(self.actual)

    @property
    def difference_text(self) -> str:
        return self._text(self.difference, signed=True)


@dataclass
class PlanAgainstActual:
    """
    The finance plan's assumptions beside the month's approved actuals, and what the
    difference costs.

    The cost drivers (children in residential placements, their average weekly cost,
    children in supported accommodation, and children we care for where the plan
    assumed a number) are the plan's and the finance return's. A plan with no
    assumption for the children we care for (the 2024-25 plan made none) shows the
    latest count by the month beside "No assumption": the count is demand's, found through
    `opb_portal.core.counts` under `IN_CARE`.
    """

    period: Period
    drivers: list[DriverPosition] = field(default_factory=list)
    in_care: Count | None = None
    weeks_remaining: Decimal = Decimal(0)

    def _driver(self, measure: str) -> DriverPosition | None:
        return next((d for d in self.drivers if d.driver.measure == measure), None)

    def _plan(self, measure: str) -> Decimal | None:
        found = self._driver(measure)
        return found.plan if found else None

    def _actual(self, measure: str) -> Decimal | None:
        found = self._driver(measure)
        return found.value if found else None

    @property
    def plan_children(self) -> Decimal | None:
        return self._plan(CostDriver.Measure.RESIDENTIAL_CHILDREN)

    @property
    def children(self) -> Decimal | None:
        return self._actual(CostDriver.Measure.RESIDENTIAL_CHILDREN)

    @property
    def plan_weekly_cost(self) -> Decimal | None:
        return self._plan(CostDriver.Measure.RESIDENTIAL_WEEKLY_COST)

    @property
    def weekly_cost(self) -> Decimal | None:
        return self._actual(CostDriver.Measure.RESIDENTIAL_WEEKLY_COST)

    @property
    def rows(self) -> list[Assumption]:
        rows = [
            Assumption(
                d.name,
                d.plan,
                d.value,
                f"the finance return, {self.period.long}",
                d.driver.is_money,
                d.driver.unit,
            )
            for d in self.drivers
        ]
        has_assumption = self._driver(CostDriver.Measure.CHILDREN_IN_CARE) is not None
        if self.in_care is not None and not has_assumption:
            rows.append(
                Assumption(self.in_care.title, None, self.in_care.number, self.in_care.as_of)
            )
        return rows

    @property
    def cost(self) -> DriverCost | None:
        """The cost of the difference, worked out by the finance module's own rule."""
        figures = (self.children, self.plan_children, self.weekly_cost, self.plan_weekly_cost)
        if None in figures:
            return None
        return DriverCost(
            children=self.children,
            planned_children=self.plan_children,
            weekly_cost=self.weekly_cost,
            planned_weekly_cost=self.plan_weekly_cost,
            weeks_remaining=self.weeks_remaining,
        )


def plan_against_actual(
    period: Period, *, finance: FinancePosition | None = None
) -> PlanAgainstActual:
    """
    The finance pages' and the demand dashboard's "demand against plan", one selector for both.

    5 queries: the latest count of children we care for (where a domain keeps it), the
    year's plan, its lines and its drivers (`plan_for`), the month's driver figures.
    Given the finance pack's `finance` position, its drivers are used as they stand (in a
    draft pack, the figures sent for approval, as the page beside them shows) and only
    the count is read.
    """
    in_care = counts.latest(IN_CARE, period)
    if finance is not None:
        return PlanAgainstActual(period, finance.drivers, in_care, finance.weeks_remaining)
    plan = plan_for(period)
    if plan is None:
        return PlanAgainstActual(period, in_care=in_care)
    figures = {
        f.driver_id: f for f in DriverFigure.objects.filter(driver__year=plan, period=period)
    }
    drivers = [DriverPosition(d, figures.get(d.pk), history=[]) for d in plan.drivers.all()]
    return PlanAgainstActual(period, drivers, in_care, weeks_remaining(period))


def as_data(plan: PlanAgainstActual) -> dict:
    """The residential assumptions and their cost as JSON numbers, for the demand API."""
    cost = plan.cost
    return {
        "residential_children": {
            "plan": figure(plan.plan_children),
            "actual": figure(plan.children),
        },
        "residential_weekly_cost": {
            "plan": figure(plan.plan_weekly_cost),
            "actual": figure(plan.weekly_cost),
        },
        "cost_per_week": figure(cost.per_week) if cost else None,
        "cost_to_year_end": figure(cost.to_year_end) if cost else None,
        "cost_full_year": figure(cost.full_year) if cost else None,
    }


def register() -> None:
    """Offer the panel to the demand pages; called from `FinanceConfig.ready()`."""
    panels.register(
        panels.Panel(
            key=AGAINST_PLAN,
            template="finance/partials/against_plan.html",
            build=plan_against_actual,
            data=as_data,
        )
    )
