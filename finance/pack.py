"""
The finance section of the board pack and section (e) of the annual review draft.

Registered with `opb_portal.boardpack.sections` from `FinanceConfig.ready()`. Every
figure comes from the dashboard's selector (`finance_position`), every chart from
`finance.charts` and every amount is written by `opb_portal.formatting`, so paper and
screen cannot disagree. The pack writes money to the pound; the dashboard's
headlines round it to millions, from the same figures.

Demand against the plan's assumptions (`finance.against_plan`, the partial the demand
dashboard shows too) is given this pack's drivers, so that a draft costs the figures it
shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse

from opb_portal.boardpack.sections import HeadlineItem, Section, shared
from opb_portal.boardpack.sections import register as register_section
from opb_portal.formatting import MISSING, pounds
from opb_portal.periods import FinancialYear, Period
from opb_portal.rag import Status
from opb_portal.submissions.figures import UNAPPROVED, Source

from . import charts, selectors
from .against_plan import plan_against_actual
from .models import DriverFigure, FinanceFigure, LineKind
from .tables import variance_words

DOMAIN = selectors.DOMAIN


@dataclass
class PackPosition:
    """The month's position as the pack shows it, and whether its figures await approval."""

    position: selectors.FinancePosition

    @property
    def period(self) -> Period:
        return self.position.period

    @property
    def unapproved(self) -> bool:
        return self.position.shown.unapproved

    @property
    def version(self):
        """The return version whose figures the month shows: approved, or sent for approval."""
        return self.position.shown.version


def pack_position(period: Period) -> PackPosition:
    """
    The finance position of `period`, read once per pack.

    A pack shows approved figures. While the month's return is with the council
    (submitted, not yet approved) a draft pack shows the figures sent for approval
    in their place (`Source.SUBMITTED`), marked as such, so the chair can preview what
    is coming. A Trust draft or a return sent back is never shown: the council has not
    seen it.
    """

    def compute() -> PackPosition:
        return PackPosition(selectors.finance_position(period, source=Source.SUBMITTED))

    return shared(("finance.pack_position", period), compute)


# --- words the summary and the pages share --------------------------------------------------


def rating_words(position: selectors.FinancePosition) -> str:
    """Where the deficit beyond plan stands against the tolerance: the reason for its RAG."""
    beyond = position.variance_against_plan
    if beyond is None:
        return "No forecast this month"
    if beyond <= 0:
        return "No worse than plan"
    where = {
        Status.GREEN: "Within the tolerance",
        Status.AMBER: "Up to twice the tolerance",
        Status.RED: "More than twice the tolerance",
    }.get(position.status, "Against the tolerance")
    return f"{where} of {pounds(position.expenditure.tolerance)}"


def against_plan(position: selectors.FinancePosition) -> str:
    """`£6,523,953 worse than plan: more than twice the tolerance of £1,825,636`."""
    beyond = position.variance_against_plan
    if beyond is None:
        return rating_words(position)
    if beyond == 0:
        return "Exactly on plan"
    if beyond < 0:
        return f"{pounds(-beyond)} better than plan"
    words = rating_words(position)
    return f"{pounds(beyond)} worse than plan: {words[:1].lower()}{words[1:]}"


def tolerance_note(position: selectors.FinancePosition) -> str:
    year = position.year
    return (
        f"Tolerance: the larger of {year.variance_tolerance_percent}% of the expenditure "
        f"budget ({pounds(position.expenditure_budget)}) and "
        f"{pounds(year.variance_tolerance_amount)}."
    )


def _red_lines(position: selectors.FinancePosition) -> list[selectors.LinePosition]:
    return [
        line
        for line in position.lines
        if line.kind != LineKind.SAVINGS and line.status == Status.RED
    ]


# --- the summary page ---------------------------------------------------------------------


def headline_url(period: Period) -> str:
    """The page the summary's lines come from, for the month: the home page links them there."""
    return f"{reverse('finance:dashboard')}?period={period.iso}"


def headline(period: Period) -> list[HeadlineItem]:
    """The forecast in-year deficit, the cumulative deficit and the variance against plan first."""
    found = pack_position(period)
    position = found.position
    if position.year is None:
        return [HeadlineItem("Finance plan", f"None set up for {period.financial_year}")]
    if position.forecast_deficit is None:
        return [
            HeadlineItem(
                "Forecast in-year deficit",
                "No figures",
                note=f"No approved finance return for {period.long}.",
            )
        ]
    marked = f" {UNAPPROVED}." if found.unapproved else ""
    items = [
        HeadlineItem(
            "Forecast in-year deficit",
            pounds(position.forecast_deficit),
            note=f"Plan {pounds(position.planned_deficit)}.{marked}",
            emphasis=True,
        ),
        HeadlineItem(
            "Forecast cumulative deficit",
            pounds(position.forecast_cumulative_deficit),
            note=f"Opening {pounds(position.opening_cumulative_deficit)}.{marked}",
            emphasis=True,
        ),
        HeadlineItem(
            "Variance against plan",
            pounds(position.variance_against_plan, signed=True),
            note=f"Forecast − planned deficit.{marked}",
            emphasis=True,
        ),
        HeadlineItem(
            "Deficit beyond plan",
            rating_words(position),
            note=tolerance_note(position),
            status=position.status.value,
        ),
    ]
    red = _red_lines(position)
    items.append(
        HeadlineItem(
            "Lines rated red",
            ", ".join(line.name for line in red) or "None",
            status="red" if red else None,
        )
    )
    return items


# --- the pages -----------------------------------------------------------------------------


@dataclass
class PackLine:
    """A row of the budget lines table: a line or a group's total."""

    row: selectors.LinePosition | selectors.GroupPosition

    @property
    def is_total(self) -> bool:
        return isinstance(self.row, selectors.GroupPosition)

    @property
    def is_grand_total(self) -> bool:
        return self.is_total and self.row.group == "expenditure"

    @property
    def variance_words(self) -> str:
        return variance_words(self.row.kind, self.row.variance)


@dataclass
class PackDriver:
    """A cost driver's row: this month and each month since April, written as the dashboard does."""

    driver: selectors.DriverPosition

    def _text(self, value: Decimal | None, *, signed: bool = False) -> str:
        if value is None:
            return MISSING
        if self.driver.driver.is_money:
            return pounds(value, signed=signed)
        return f"{value:+,}" if signed else f"{value:,}"

    @property
    def plan_text(self) -> str:
        return "No assumption" if self.driver.plan is None else self._text(self.driver.plan)

    @property
    def value_text(self) -> str:
        return self._text(self.driver.value)

    @property
    def difference_text(self) -> str:
        return self._text(self.driver.difference, signed=True)

    @property
    def months(self) -> list[str]:
        return [self._text(value) for value in self.driver.history]


def build(period: Period) -> dict:
    found = pack_position(period)
    position = found.position
    context = {
        "period": period,
        "position": position,
        "unapproved": found.unapproved,
        "shown": position.shown,
    }
    if position.year is None or not position.has_figures:
        return context
    return context | {
        "against_plan": against_plan(position),
        "tolerance_note": tolerance_note(position),
        "lines": [PackLine(row) for row in position.rows],
        "deficit_chart": charts.deficit_chart(position),
        "deficit_table": charts.deficit_table(position),
        "drivers": [PackDriver(driver) for driver in position.drivers],
        "month_labels": [point.period.short for point in position.months],
        "demand_plan": plan_against_actual(period, finance=position),
    }


def sources(period: Period) -> set[int]:
    """
    The return versions behind the month's lines and drivers and the year-to-date chart.

    One query: the chart's months are worked out from figures the position does not keep.
    """
    found = pack_position(period)
    position = found.position
    if position.year is None:
        return set()
    # While the month's figures on paper are those sent for approval, its approved ones are not.
    last = period.shift(-1) if found.unapproved else period
    months = {
        "period__gte": period.financial_year.first,
        "period__lte": last,
    }
    used = set(
        # A compound query may not order its parts (SQLite refuses): clear the models' ordering.
        FinanceFigure.objects.filter(line__year=position.year, **months)
        .exclude(version=None)
        .order_by()
        .values_list("version_id", flat=True)
        .union(
            DriverFigure.objects.filter(driver__year=position.year, **months)
            .exclude(version=None)
            .order_by()
            .values_list("version_id", flat=True)
        )
    )
    if found.unapproved:
        used.add(found.version.pk)
    return used


# --- the annual review: section (e) -----------------------------------------------------------


@dataclass(frozen=True)
class OutturnRow:
    label: str
    budget: Decimal | None
    outturn: Decimal | None
    total: bool = False
    note: str = ""

    @property
    def variance(self) -> Decimal | None:
        if self.budget is None or self.outturn is None:
            return None
        return self.outturn - self.budget


def annual(year: FinancialYear) -> dict:
    """The year's outturn as March's approved return forecasts it, against the plan."""
    position = selectors.finance_position(year.last)
    context = {"year": year, "position": position}
    if position.year is None or position.forecast_deficit is None:
        return context
    groups = position.expenditure_groups
    rows = [
        OutturnRow("Contract sum", position.contract_sum, position.contract_sum),
        OutturnRow("Third-party income", position.income.budget, position.income.forecast_outturn),
        OutturnRow("Income", position.income_budget, position.income_forecast, total=True),
        *(OutturnRow(group.label, group.budget, group.forecast_outturn) for group in groups),
        OutturnRow(
            "Expenditure",
            position.expenditure_budget,
            position.expenditure_forecast,
            total=True,
        ),
        OutturnRow(
            "Deficit for the financial year",
            position.planned_deficit,
            position.forecast_deficit,
            total=True,
        ),
        OutturnRow(
            "Cumulative deficit brought forward",
            position.opening_cumulative_deficit,
            position.opening_cumulative_deficit,
        ),
        OutturnRow(
            "Cumulative deficit at year end",
            position.planned_cumulative_deficit,
            position.forecast_cumulative_deficit,
            total=True,
        ),
    ]
    return context | {
        "rows": rows,
        "drivers": [driver for driver in position.drivers if driver.plan is not None],
        "savings": position.savings if position.savings.lines else None,
    }


# --- registration -------------------------------------------------------------------------


def register() -> None:
    """Called from `FinanceConfig.ready()`."""
    register_section(
        Section(
            key="finance",
            title="Finance: the budget position",
            order=200,
            template="boardpack/finance/pack.html",
            build=build,
            domain=DOMAIN,
            headline=headline,
            headline_url=headline_url,
            headline_title="Finance",
            sources=sources,
            annual=annual,
            annual_template="boardpack/finance/annual.html",
            annual_title="Section (e) The Trust's performance against budgets",
        )
    )
    from .scenarios import pack as scenarios_pack

    # The chair's scenarios, right after the position they question.
    scenarios_pack.register()
