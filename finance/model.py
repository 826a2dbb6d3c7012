"""
The deficit as a driver model: the year's outturn worked out from the cost drivers.

Each line with a `FinanceLine.driver_model` is costed month by month:

- months to `as_of` are what the return says was spent (the line's actual to date);
- each month after is volume × unit cost × days / 7 (weekly costs), in whole pounds
  rounded half up month by month, as the demonstration's returns are costed:
  residential, supported accommodation and foster children × their weekly cost;
  social workers × agency share / 100 × the agency weekly cost; Home Office children ×
  the weekly contribution (income); savings: target × share delivered / 100 × the
  month's share of the year's days.

Each driver's path after `as_of` is demand's projection where demand keeps one
(`opb_portal.core.projections`: the children in each placement type), else its last
actual carried forward; then the `changes` of a scenario. A line without a driver
model takes the Trust's own forecast (or, before any return, the plan's budget), and
says so.

The deficit is expenditure − income, as `finance.selectors` works it out. Savings are
already in the expenditure lines (a delivered saving is spending that did not happen),
so they are never added again: the model moves the deficit only by the savings it
expects beyond (or short of) what the Trust's forecast, or before any return the plan,
already counts (`savings_effect`).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from opb_portal.core import projections
from opb_portal.formatting import number, pounds
from opb_portal.periods import Period

from .models import CostDriver, DriverFigure, FinanceFigure, FinanceLine, FinanceYear, LineKind
from .selectors import month_deficit

M = CostDriver.Measure
HUNDRED = Decimal(100)
WEEK = Decimal(7)

# What each driver model multiplies, in order; a percentage measure counts /100.
FORMULAS: dict[str, tuple[str, ...]] = {
    "residential": (M.RESIDENTIAL_CHILDREN, M.RESIDENTIAL_WEEKLY_COST),
    "supported": (M.SUPPORTED_CHILDREN, M.SUPPORTED_WEEKLY_COST),
    "foster_internal": (M.FOSTER_INTERNAL_CHILDREN, M.FOSTER_INTERNAL_WEEKLY_COST),
    "foster_external": (M.FOSTER_EXTERNAL_CHILDREN, M.FOSTER_EXTERNAL_WEEKLY_COST),
    "agency": (M.SOCIAL_WORKERS, M.AGENCY_SHARE, M.AGENCY_WEEKLY_COST),
    "home_office": (M.HOME_OFFICE_CHILDREN, M.HOME_OFFICE_WEEKLY_RATE),
    "savings": (M.SAVINGS_DELIVERED,),
}
PERCENTAGES = frozenset({M.AGENCY_SHARE, M.SAVINGS_DELIVERED})
# Demand's projections of the children in each placement type (keys of `core.projections`).
PROJECTED = {
    M.RESIDENTIAL_CHILDREN: "placements.residential",
    M.SUPPORTED_CHILDREN: "placements.supported",
    M.FOSTER_INTERNAL_CHILDREN: "placements.foster_internal",
    M.FOSTER_EXTERNAL_CHILDREN: "placements.foster_external",
}


class Projections:
    """
    Demand's projections from one month, asked for once (all keys together) however many
    models are worked out from them (a page's base case, its scenarios, the sensitivity's steps): a
    projection costs demand's queries, the models only arithmetic.
    """

    MONTHS = 48  # the medium term's three years after a year-end, and a year's months

    def __init__(self, after: Period):
        self.after = after
        self._found: dict[str, projections.Projected | None] = {}

    def growth(self, measure: str, month: Period) -> Decimal | None:
        key = PROJECTED.get(measure)
        if key is None:
            return None
        if not self._found:
            keys = list(PROJECTED.values())
            self._found = projections.projected_all(keys, after=self.after, months=self.MONTHS)
        found = self._found[key]
        return None if found is None else found.growth(month)


def whole(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), ROUND_HALF_UP)


def days(period: Period) -> int:
    return calendar.monthrange(period.year, period.month)[1]


def days_in_year(period: Period) -> int:
    return sum(days(month) for month in period.financial_year.months())


def month_cost(
    driver_model: str, levels: Mapping[str, Decimal], month: Period, *, target: Decimal
) -> Decimal:
    """
    One month's cost (or income, or savings) of a line from its drivers' levels that
    month, in whole pounds. The demonstration's returns are costed by this function,
    so the model fed the actual drivers gives the actual costs to the pound.
    """
    product = Decimal(1)
    for measure in FORMULAS[driver_model]:
        level = levels[measure]
        product *= level / HUNDRED if measure in PERCENTAGES else level
    if driver_model == "savings":
        return whole(target * product * days(month) / days_in_year(month))
    return whole(product * days(month) / WEEK)


@dataclass(frozen=True)
class Change:
    """One scenario change (mirrors `ScenarioChange`, also built in code)."""

    measure: str  # a CostDriver.Measure value
    value: Decimal
    month: Period
    # "from": `value` from `month` on; "by": a straight line from the last actual (or
    # projected) level to `value` in `month`, then held.
    how: str = "from"


@dataclass
class ModelLine:
    """One line of the position as the model works it out."""

    line: FinanceLine
    modelled: bool
    outturn: Decimal
    trust_forecast: Decimal | None
    explanation: str  # why the model differs from the Trust here, in words

    @property
    def difference(self) -> Decimal | None:
        """Model − Trust."""
        if self.trust_forecast is None:
            return None
        return self.outturn - self.trust_forecast


Path = list[tuple[Period, Decimal, bool]]


@dataclass
class ModelOutturn:
    year: FinanceYear
    as_of: Period  # figures to this month are actuals
    lines: list[ModelLine]
    expenditure: Decimal
    income: Decimal  # the contract sum and third-party income
    deficit: Decimal  # in-year: expenditure − income − savings_effect
    cumulative_deficit: Decimal  # opening + in-year
    trust_deficit: Decimal | None  # the Trust's own forecast in the return of as_of
    paths: dict[str, Path]  # measure -> (month, level, actual?) April to March
    plans: dict[str, Decimal | None] = field(default_factory=dict)  # measure -> plan
    # Savings the model expects beyond what the Trust's forecast (or the plan) counts.
    savings_effect: Decimal = Decimal(0)

    @property
    def difference(self) -> Decimal | None:
        """The model's in-year deficit − the Trust's."""
        return None if self.trust_deficit is None else self.deficit - self.trust_deficit

    @property
    def trust_cumulative_deficit(self) -> Decimal | None:
        if self.trust_deficit is None:
            return None
        return self.year.opening_cumulative_deficit + self.trust_deficit

    def line(self, code: str) -> ModelLine | None:
        return next((line for line in self.lines if line.line.code == code), None)


# --- driver paths ------------------------------------------------------------------------


def apply_changes(
    levels: dict[Period, Decimal], *, start: Decimal | None, changes: Sequence[Change]
) -> None:
    """
    Put a measure's changes on its future levels (in place, months in `levels` only),
    in order: a later change overrides an earlier one from its own start.
    """
    months = sorted(levels)
    if not months:
        return
    for change in changes:
        if change.how == "by":
            base = start if start is not None else levels[months[0]]
            before = months[0].shift(-1)
            steps = change.month.months_since(before)
            for month in months:
                ahead = month.months_since(before)
                if steps <= 0 or ahead >= steps:
                    levels[month] = change.value
                else:
                    levels[month] = base + (change.value - base) * ahead / steps
        else:
            for month in months:
                if month >= change.month:
                    levels[month] = change.value


def future_levels(
    measure: str,
    *,
    after: Period,
    months: Sequence[Period],
    start: Decimal | None,
    changes: Sequence[Change] = (),
    factor=None,
    shift: Decimal = Decimal(0),
    projected: Projections | None = None,
) -> dict[Period, Decimal] | None:
    """
    A measure's levels in `months` (all after `after`): `start` (the last actual) moved by
    the growth of demand's projection where demand keeps one, else carried forward, times
    the month's price `factor` (a unit cost in a later year), then the changes and a `shift`
    (the sensitivity's step). None when there is nothing to start from. `projected`:
    demand's projections from `after`, shared between the models of one page.
    """
    levels: dict[Period, Decimal] = {}
    if start is None:
        return None
    if projected is None or projected.after != after:
        projected = Projections(after)
    for month in months:
        # Demand's projection moves the return's own last actual by its growth: its level
        # is demand's count, which may be of another month (62 residential children counted
        # in March 2024 against the return's 79 in March 2025).
        growth = projected.growth(measure, month)
        level = start * growth if growth is not None else start
        levels[month] = level * factor(month) if factor else level
    measure_changes = [change for change in changes if change.measure == measure]
    apply_changes(levels, start=start, changes=measure_changes)
    if shift:
        levels = {month: max(level + shift, Decimal(0)) for month, level in levels.items()}
    return levels


# --- the year's outturn --------------------------------------------------------------------


@dataclass
class _Inputs:
    """What one year's model reads: 4 queries (lines, drivers, the month's and drivers' figures)."""

    lines: list[FinanceLine]
    drivers: list[CostDriver]
    figures: dict[int, FinanceFigure]  # line pk -> the figure of as_of
    actual: dict[str, dict[Period, Decimal]]  # measure -> month -> approved level
    projected: Projections | None = None  # demand's projections after as_of, asked once each


def _inputs(year: FinanceYear, as_of: Period) -> _Inputs:
    lines = list(FinanceLine.objects.filter(year=year).order_by("order", "pk"))
    drivers = list(CostDriver.objects.filter(year=year).order_by("order", "pk"))
    figures = {
        figure.line_id: figure
        for figure in FinanceFigure.objects.filter(line__year=year, period=as_of)
    }
    actual: dict[str, dict[Period, Decimal]] = {}
    first = year.financial_year.first
    for measure, period, value in DriverFigure.objects.filter(
        driver__year=year, period__gte=first, period__lte=as_of
    ).values_list("driver__measure", "period", "value"):
        actual.setdefault(measure, {})[period] = value
    return _Inputs(lines, drivers, figures, actual, Projections(as_of))


def _measures(lines: Sequence[FinanceLine]) -> list[str]:
    found: list[str] = []
    for line in lines:
        for measure in FORMULAS.get(line.driver_model, ()):
            if measure not in found:
                found.append(measure)
    return found


def _paths(
    inputs: _Inputs, *, months: list[Period], as_of: Period, changes, shifts
) -> dict[str, Path]:
    """Each measure the lines use, April to March: actuals to as_of, then its future path."""
    paths: dict[str, Path] = {}
    past = [month for month in months if month <= as_of]
    future = [month for month in months if month > as_of]
    for measure in _measures(inputs.lines):
        actual = inputs.actual.get(measure, {})
        path: Path = []
        last: Decimal | None = None
        for month in past:
            if month in actual:
                last = actual[month]
            if last is not None:
                path.append((month, last, month in actual))
        ahead = future_levels(
            measure,
            after=as_of,
            months=future,
            start=last,
            changes=changes,
            shift=shifts.get(measure, Decimal(0)),
            projected=inputs.projected,
        )
        if (ahead is None and future) or (not path and not ahead):
            continue
        path += [(month, level, False) for month, level in (ahead or {}).items()]
        paths[measure] = path
    return paths


def _describe(line: FinanceLine, paths: Mapping[str, Path], as_of: Period) -> str:
    """The drivers of a line at as_of and at the year end, in words."""
    parts = []
    for measure in FORMULAS[line.driver_model]:
        path = paths[measure]
        now = next((level for month, level, _a in path if month == as_of), None)
        end = path[-1][1]
        label = CostDriver.Measure(measure).label
        if now is None or now == end:
            parts.append(f"{label}: {level_text(measure, end)}")
        else:
            parts.append(
                f"{label}: {level_text(measure, now)} in {as_of.short}, "
                f"{level_text(measure, end)} by {path[-1][0].short}"
            )
    return "; ".join(parts)


def level_text(measure: str, level: Decimal) -> str:
    """A driver's level as the pages write it: £6,748, 79, 18.5%."""
    if measure in PERCENTAGES:
        return f"{level.quantize(Decimal('0.1'), ROUND_HALF_UP)}%"
    if "weekly" in measure:
        return pounds(whole(level))
    if measure == CostDriver.Measure.SOCIAL_WORKERS:
        return number(level, 2)  # full-time equivalents
    # Children, as a person counts them: a projected 62.9 is "63" in words (the model
    # costs the exact path; the chart and the API give it).
    return f"{int(whole(level)):,}"


def _explain(line, *, outturn, trust, modelled, paths, as_of, year_end, future) -> str:
    if not modelled:
        if trust is None:
            return (
                "Not modelled from drivers, and no return yet: the model takes the plan's budget."
            )
        return "Not modelled from drivers: the model takes the Trust's own forecast."
    drivers = _describe(line, paths, as_of)
    if not future:
        return f"Every month is actual to {year_end.short}, so the model is the return's figure."
    if trust is None:
        return f"Costed month by month from the drivers ({drivers}); the Trust gave no forecast."
    basis = "the Trust's forecast"
    if outturn == trust:
        return f"Costed month by month from the drivers ({drivers}); it agrees with {basis}."
    more = "more" if outturn > trust else "less"
    if abs(outturn - trust) <= future:
        return (
            f"Costed month by month from the drivers ({drivers}): {pounds(abs(outturn - trust))} "
            f"{more} than {basis}, which costs the same level at the Trust's run rate to 31 March "
            "without rounding each month to the pound."
        )
    return (
        f"The model costs the {future} months after {as_of.short} month by month from the "
        f"drivers' paths ({drivers}): {pounds(abs(outturn - trust))} {more} than {basis}, "
        f"which carries {as_of.short}'s run rate to 31 March."
    )


def _model(
    year: FinanceYear, as_of: Period, inputs: _Inputs, *, changes=(), shifts=None
) -> ModelOutturn:
    months = year.financial_year.months()
    paths = _paths(inputs, months=months, as_of=as_of, changes=changes, shifts=shifts or {})
    future = [month for month in months if month > as_of]
    model_lines: list[ModelLine] = []
    for line in inputs.lines:
        figure = inputs.figures.get(line.pk)
        trust = figure.forecast_outturn if figure else None
        spent = (figure.actual_to_date if figure else None) or Decimal(0)
        modelled = bool(line.driver_model) and all(
            measure in paths for measure in FORMULAS[line.driver_model]
        )
        if modelled:
            levels = {measure: {m: v for m, v, _a in paths[measure]} for measure in paths}
            outturn = spent + sum(
                (
                    month_cost(
                        line.driver_model,
                        {
                            measure: levels[measure][month]
                            for measure in FORMULAS[line.driver_model]
                        },
                        month,
                        target=line.budget,
                    )
                    for month in future
                ),
                Decimal(0),
            )
        else:
            outturn = trust if trust is not None else line.budget
        explanation = _explain(
            line,
            outturn=outturn,
            trust=trust,
            modelled=modelled,
            paths=paths,
            as_of=as_of,
            year_end=months[-1],
            future=len(future),
        )
        model_lines.append(ModelLine(line, modelled, outturn, trust, explanation))
    return _total(year, as_of, inputs, model_lines, paths)


def _total(year, as_of, inputs, model_lines, paths) -> ModelOutturn:
    expenditure = third_party = savings_effect = Decimal(0)
    for model_line in model_lines:
        kind = model_line.line.kind
        if kind == LineKind.EXPENDITURE:
            expenditure += model_line.outturn
        elif kind == LineKind.INCOME:
            third_party += model_line.outturn
        else:
            counted = model_line.trust_forecast
            counted = model_line.line.budget if counted is None else counted
            savings_effect += model_line.outturn - counted
    income = year.contract_sum + third_party
    deficit = expenditure - income - savings_effect
    trust_deficit = month_deficit(year, inputs.lines, inputs.figures) if inputs.figures else None
    plans = {driver.measure: driver.plan for driver in inputs.drivers}
    return ModelOutturn(
        year=year,
        as_of=as_of,
        lines=model_lines,
        expenditure=expenditure,
        income=income,
        deficit=deficit,
        cumulative_deficit=year.opening_cumulative_deficit + deficit,
        trust_deficit=trust_deficit,
        paths=paths,
        plans={measure: plans.get(measure) for measure in paths},
        savings_effect=savings_effect,
    )


def position_outturn(position, *, changes: Sequence[Change] = ()) -> ModelOutturn | None:
    """
    The model of a dashboard's `finance.selectors.FinancePosition`, from the figures it has
    already read (no queries): the same as `outturn(year=..., as_of=position.period)`.
    None without a plan or a figure.
    """
    if position.year is None or not position.has_figures:
        return None
    first = position.period.financial_year.first
    actual: dict[str, dict[Period, Decimal]] = {}
    for driver in position.drivers:
        for index, value in enumerate(driver.history):
            if value is not None:
                actual.setdefault(driver.driver.measure, {})[first.shift(index)] = value
    inputs = _Inputs(
        lines=[line.line for line in position.lines],
        drivers=[driver.driver for driver in position.drivers],
        figures={line.line.pk: line.figure for line in position.lines if line.figure},
        actual=actual,
        projected=Projections(position.period),
    )
    return _model(position.year, position.period, inputs, changes=changes)


def outturns(
    *, year: FinanceYear, as_of: Period, cases: Sequence[Sequence[Change]]
) -> list[ModelOutturn]:
    """
    The base model and each case's (a scenario's changes) from one read of the inputs and
    demand's projections: the first of the list is the base. 4 queries and demand's.
    """
    inputs = _inputs(year, as_of)
    return [_model(year, as_of, inputs, changes=changes) for changes in [(), *cases]]


def outturn(*, year: FinanceYear, as_of: Period, changes: Sequence[Change] = ()) -> ModelOutturn:
    """
    The year's outturn as the driver model works it out from the approved returns to
    `as_of`, with a scenario's `changes` (none: the base model). 4 queries.
    """
    return _model(year, as_of, _inputs(year, as_of), changes=changes)


# --- sensitivity ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """A realistic change in one driver, and why it is realistic."""

    measure: str
    step: Decimal
    step_text: str
    reason: str


# Each step is about the size of a change the 2024-25 figures saw (or could see) in a few
# months; the reasons are shown beside the chart.
STEPS = (
    Step(
        M.RESIDENTIAL_CHILDREN,
        Decimal(5),
        "±5 children",
        "Residential placements rose by 17 in 2024-25: five is about four months of that.",
    ),
    Step(
        M.RESIDENTIAL_WEEKLY_COST,
        Decimal(250),
        "±£250 a week",
        "The average weekly cost rose from £6,508 to £6,701 in the nine months to "
        "December 2024: £250 is about a year of that rise.",
    ),
    Step(
        M.SUPPORTED_CHILDREN,
        Decimal(5),
        "±5 young people",
        "Unaccompanied asylum-seeking children, part of the 2024-25 rise, arrive a few at a "
        "time: five is a few months' arrivals.",
    ),
    Step(
        M.SUPPORTED_WEEKLY_COST,
        Decimal(250),
        "±£250 a week",
        "Supported accommodation prices vary by provider by more than this.",
    ),
    Step(
        M.FOSTER_INTERNAL_CHILDREN,
        Decimal(10),
        "±10 children",
        "Children with the Trust's own carers moved between 266 and 283 in 2024-25.",
    ),
    Step(
        M.FOSTER_EXTERNAL_CHILDREN,
        Decimal(10),
        "±10 children",
        "Children in external fostering moved between 284 and 310 in 2024-25.",
    ),
    Step(
        M.FOSTER_EXTERNAL_WEEKLY_COST,
        Decimal(50),
        "±£50 a week",
        "An agency fostering fee rise of about 5%.",
    ),
    Step(
        M.AGENCY_SHARE,
        Decimal(5),
        "±5 points",
        "The agency share of social workers moved between 15.9% and 20.7% in 2024-25.",
    ),
    Step(
        M.AGENCY_WEEKLY_COST,
        Decimal(100),
        "±£100 a week",
        "About a 3% change in agency rates.",
    ),
    Step(
        M.HOME_OFFICE_CHILDREN,
        Decimal(5),
        "±5 children",
        "Unaccompanied asylum-seeking children arrive through the national transfer scheme "
        "in small numbers each month.",
    ),
    Step(
        M.SAVINGS_DELIVERED,
        Decimal(10),
        "±10 points",
        "Ten points of the target is about one scheme slipping by a few months.",
    ),
)


@dataclass(frozen=True)
class Sensitivity:
    """How far the year-end deficit moves when one driver is a realistic step lower or higher."""

    measure: str
    label: str
    step_text: str
    low_deficit: Decimal  # the driver a step lower from the month after as_of
    high_deficit: Decimal  # a step higher
    base_deficit: Decimal = Decimal(0)
    reason: str = ""

    @property
    def swing(self) -> Decimal:
        return abs(self.high_deficit - self.low_deficit)


def sensitivity(*, year: FinanceYear, as_of: Period) -> list[Sensitivity]:
    """
    Each driver the model uses, a realistic step (`STEPS`) lower and higher for the rest
    of the year, largest swing first. After March there is nothing left to move: every
    deficit is the base one. 4 queries, however many drivers.
    """
    inputs = _inputs(year, as_of)
    base = _model(year, as_of, inputs)
    found = []
    for step in STEPS:
        if step.measure not in base.paths:
            continue
        low = _model(year, as_of, inputs, shifts={step.measure: -step.step})
        high = _model(year, as_of, inputs, shifts={step.measure: step.step})
        found.append(
            Sensitivity(
                measure=step.measure,
                label=CostDriver.Measure(step.measure).label,
                step_text=step.step_text,
                low_deficit=low.deficit,
                high_deficit=high.deficit,
                base_deficit=base.deficit,
                reason=step.reason,
            )
        )
    return sorted(found, key=lambda found: -found.swing)


# --- next year and the medium term -----------------------------------------------------------


@dataclass(frozen=True)
class Inflation:
    """A yearly price assumption of the medium-term view, and why."""

    key: str
    label: str
    percent: Decimal
    reason: str


INFLATION = {
    "pay": Inflation(
        "pay",
        "Pay (staffing and agency rates)",
        Decimal("3.2"),
        "The 2025-26 local government pay award was 3.2%; agency rates follow pay.",
    ),
    "placements": Inflation(
        "placements",
        "Placement weekly costs",
        Decimal(4),
        "The average residential weekly cost rose 3.0% in the nine months to December 2024 "
        "(£6,508 to £6,701): about 4% a year.",
    ),
    "overheads": Inflation(
        "overheads",
        "Overheads",
        Decimal(2),
        "The Bank of England's 2% inflation target.",
    ),
    "income": Inflation(
        "income",
        "Contract sum and third-party income",
        Decimal(0),
        "Flat unless stated: the 2025-26 contract sum is a roll-forward of 2024-25's and "
        "no grant increase is announced; the Home Office weekly rate is set nationally.",
    ),
}
# Which assumption prices each weekly cost, and each group's lines without a driver model.
PRICED_BY = {
    M.RESIDENTIAL_WEEKLY_COST: "placements",
    M.SUPPORTED_WEEKLY_COST: "placements",
    M.FOSTER_INTERNAL_WEEKLY_COST: "placements",
    M.FOSTER_EXTERNAL_WEEKLY_COST: "placements",
    M.AGENCY_WEEKLY_COST: "pay",
    M.HOME_OFFICE_WEEKLY_RATE: "income",
}
GROUP_PRICED_BY = {
    "staffing": "pay",
    "placements": "placements",
    "overheads": "overheads",
    "income": "income",
    "savings": "income",  # a savings target carried forward flat
}


def _factor(key: str, years: int) -> Decimal:
    return (1 + INFLATION[key].percent / HUNDRED) ** years


@dataclass
class YearAhead:
    """One year of the medium-term view: the model's position with the drivers carried forward."""

    start_year: int
    label: str  # 2025-26
    has_plan: bool  # the portal holds the year's plan (its budgets); later years carry forward
    contract_sum: Decimal
    expenditure: Decimal
    income: Decimal
    deficit: Decimal
    opening_cumulative_deficit: Decimal
    cumulative_deficit: Decimal
    planned_deficit: Decimal | None  # the plan's own, where there is a plan
    lines: list[ModelLine]
    savings_effect: Decimal = Decimal(0)

    @property
    def apart(self) -> Decimal | None:
        """The model's in-year deficit less the plan's; None without a plan."""
        return None if self.planned_deficit is None else self.deficit - self.planned_deficit

    @property
    def against_plan(self) -> list[ModelLine]:
        """The lines the model reads apart from the plan's budget, the largest move first."""
        moved = [line for line in self.lines if line.difference]
        return sorted(moved, key=lambda line: abs(line.difference), reverse=True)


def _last_levels(
    year: FinanceYear, as_of: Period | None
) -> tuple[Period | None, dict[str, Decimal]]:
    """The last approved level of each driver of a year, and the last month with any. 1 query."""
    last: Period | None = None
    levels: dict[str, Decimal] = {}
    figures = DriverFigure.objects.filter(driver__year=year)
    if as_of is not None:
        figures = figures.filter(period__lte=as_of)
    for measure, period, value in figures.order_by("period").values_list(
        "driver__measure", "period", "value"
    ):
        levels[measure] = value
        last = period if last is None or period > last else last
    return last, levels


@dataclass
class _Ahead:
    """What the years after a year read: 3 queries with the next year's plan, 7 without."""

    from_year: FinanceYear
    after: Period  # the last month of drivers carried forward
    start: dict[str, Decimal]  # each driver's level then
    plan: FinanceYear | None  # the next year's plan, where the portal holds one
    lines: list[FinanceLine]  # the plan's lines, else the year's
    opening: Decimal  # the cumulative deficit the next year opens with
    projected: Projections  # demand's projections from `after`


def _ahead_inputs(from_year: FinanceYear, as_of: Period | None) -> _Ahead:
    after, start = _last_levels(from_year, as_of)
    after = after or from_year.financial_year.last
    plan = FinanceYear.objects.filter(start_year=from_year.start_year + 1).first()
    lines = list(FinanceLine.objects.filter(year=plan or from_year).order_by("order", "pk"))
    if plan is not None:
        opening = plan.opening_cumulative_deficit
    else:
        opening = outturn(year=from_year, as_of=after).cumulative_deficit
    return _Ahead(from_year, after, start, plan, lines, opening, Projections(after))


def next_years(
    *,
    from_year: FinanceYear,
    years: int = 3,
    changes: Sequence[Change] = (),
    as_of: Period | None = None,
) -> list[YearAhead]:
    """
    The years after `from_year`: the drivers of its last approved month carried forward
    (or moved by demand's projection of the children), weekly costs and unmodelled lines
    priced up each April by `INFLATION`, the contract sum and income flat unless the next
    year's plan says otherwise, and a scenario's `changes`. The first year uses its plan
    where the portal holds one (its budgets, contract sum and opening deficit). `as_of`:
    carry forward the drivers of that month instead (a page about an earlier month knows no
    later one). 3 queries with the next year's plan, 7 without, and demand's projections.
    """
    return _years_ahead(_ahead_inputs(from_year, as_of), years=years, changes=changes)


def next_years_cases(
    *,
    from_year: FinanceYear,
    cases: Sequence[Sequence[Change]],
    years: int = 3,
    as_of: Period | None = None,
) -> list[list[YearAhead]]:
    """`next_years` of the base (first) and of each case, from one read of the inputs."""
    inputs = _ahead_inputs(from_year, as_of)
    return [_years_ahead(inputs, years=years, changes=changes) for changes in [(), *cases]]


def _years_ahead(inputs: _Ahead, *, years: int, changes: Sequence[Change]) -> list[YearAhead]:
    from_year, plan, lines = inputs.from_year, inputs.plan, inputs.lines
    first = from_year.financial_year.last.shift(1)
    months = [first.shift(i) for i in range(12 * years)]
    paths: dict[str, dict[Period, Decimal]] = {}
    for measure in _measures(lines):
        key = PRICED_BY.get(measure)
        levels = future_levels(
            measure,
            after=inputs.after,
            months=months,
            start=inputs.start.get(measure),
            changes=changes,
            factor=(lambda month, key=key: _factor(key, _years_on(month, from_year)))
            if key
            else None,
            projected=inputs.projected,
        )
        if levels is not None:
            paths[measure] = levels
    opening = inputs.opening
    figures = {line.pk: line.budget for line in lines}
    contract_sum = (plan or from_year).contract_sum
    found: list[YearAhead] = []
    for index in range(years):
        year_months = months[12 * index : 12 * index + 12]
        priced = index > 0 or plan is None  # a plan's budgets are already in its prices
        ahead = _year_ahead(
            start_year=from_year.start_year + 1 + index,
            lines=lines,
            figures=_priced(lines, figures) if priced else figures,
            paths=paths,
            months=year_months,
            contract_sum=contract_sum,
            opening=opening,
            has_plan=plan is not None and index == 0,
        )
        found.append(ahead)
        figures = {model_line.line.pk: model_line.outturn for model_line in ahead.lines}
        # A savings target is carried forward as a target, not as what the model delivers.
        figures |= {line.pk: line.budget for line in lines if line.kind == LineKind.SAVINGS}
        opening = ahead.cumulative_deficit
    return found


def _ahead_words(value: Decimal, budget: Decimal, *, has_plan: bool) -> str:
    said = "Costed month by month from the drivers carried forward, priced up each April"
    if not has_plan or value == budget:
        return f"{said}."
    more = "more" if value > budget else "less"
    return (
        f"{said}: {pounds(abs(value - budget))} {more} than the plan's budget, which assumes "
        "the plan's levels rather than those the year ended on."
    )


def _priced(lines, figures: dict[int, Decimal]) -> dict[int, Decimal]:
    """Last year's figure of each line, a year of its group's inflation on."""
    return {
        line.pk: whole(figures[line.pk] * _factor(GROUP_PRICED_BY[line.group], 1)) for line in lines
    }


def _years_on(month: Period, from_year: FinanceYear) -> int:
    return month.financial_year.start_year - from_year.start_year


def _year_ahead(
    *, start_year, lines, figures, paths, months, contract_sum, opening, has_plan
) -> YearAhead:
    model_lines = []
    for line in lines:
        budget = figures[line.pk]
        modelled = bool(line.driver_model) and all(
            measure in paths for measure in FORMULAS[line.driver_model]
        )
        if modelled:
            value = sum(
                (
                    month_cost(
                        line.driver_model,
                        {measure: paths[measure][month] for measure in FORMULAS[line.driver_model]},
                        month,
                        target=budget,
                    )
                    for month in months
                ),
                Decimal(0),
            )
            words = _ahead_words(value, budget, has_plan=has_plan)
        else:
            value = budget
            words = (
                "Not modelled from drivers: the plan's budget."
                if has_plan
                else "Not modelled from drivers: last year's figure, priced up."
            )
        model_lines.append(ModelLine(line, modelled, value, budget if has_plan else None, words))
    expenditure = third_party = savings_effect = Decimal(0)
    for model_line in model_lines:
        kind = model_line.line.kind
        if kind == LineKind.EXPENDITURE:
            expenditure += model_line.outturn
        elif kind == LineKind.INCOME:
            third_party += model_line.outturn
        else:  # the budgets assume the whole target delivered
            savings_effect += model_line.outturn - figures[model_line.line.pk]
    income = contract_sum + third_party
    deficit = expenditure - income - savings_effect
    planned = None
    if has_plan:
        by_kind = {kind: Decimal(0) for kind in LineKind.values}
        for line in lines:
            by_kind[line.kind] += figures[line.pk]
        planned = by_kind[LineKind.EXPENDITURE] - contract_sum - by_kind[LineKind.INCOME]
    return YearAhead(
        start_year=start_year,
        label=f"{start_year}-{(start_year + 1) % 100:02d}",
        has_plan=has_plan,
        contract_sum=contract_sum,
        expenditure=expenditure,
        income=income,
        deficit=deficit,
        opening_cumulative_deficit=opening,
        cumulative_deficit=opening + deficit,
        planned_deficit=planned,
        lines=model_lines,
        savings_effect=savings_effect,
    )
