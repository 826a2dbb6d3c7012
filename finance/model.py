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
from opb_portal.formatting import pounds
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
) -> dict[Period, Decimal] | None:
    """
    A measure's levels in `months` (all after `after`): demand's projection of it where
    demand keeps one, else `start` (the last actual) carried forward, times the month's
    price `factor` (a unit cost in a later year), then the changes and a `shift` (the
    sensitivity's step). None when there is nothing to start from.
    """
    levels: dict[Period, Decimal] = {}
    key = PROJECTED.get(measure)
    projection = (
        projections.projected(key, after=after, months=len(months)) if key and months else None
    )
    for month in months:
        level = projection.at(month) if projection is not None else None
        if level is None:
            level = start
        if level is None:
            return None
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
    return _Inputs(lines, drivers, figures, actual)


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
        label = CostDriver.Measure(measure).label.lower()
        if now is None or now == end:
            parts.append(f"{label} {level_text(measure, end)}")
        else:
            parts.append(
                f"{label} {level_text(measure, now)} in {as_of.short}, "
                f"{level_text(measure, end)} by {path[-1][0].short}"
            )
    return "; ".join(parts)


def level_text(measure: str, level: Decimal) -> str:
    """A driver's level as the pages write it: £6,748, 79, 18.5%."""
    if measure in PERCENTAGES:
        return f"{level.quantize(Decimal('0.1'), ROUND_HALF_UP)}%"
    if "weekly" in measure:
        return pounds(whole(level))
    if level == level.to_integral_value():
        return f"{int(level):,}"
    return f"{level.quantize(Decimal('0.1'), ROUND_HALF_UP):,}"


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
    basis = "the plan's budget" if trust is None else "the Trust's forecast"
    if trust is None or outturn == trust:
        return f"Costed month by month from the drivers ({drivers}); it agrees with {basis}."
    more = "more" if outturn > trust else "less"
    return (
        f"The model costs the {future} months after {as_of.short} month by month from the "
        f"drivers' paths ({drivers}): {pounds(abs(outturn - trust))} {more} than {basis}, "
        "which carries the Trust's own run rate (or plan) to 31 March."
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


def outturn(*, year: FinanceYear, as_of: Period, changes: Sequence[Change] = ()) -> ModelOutturn:
    """
    The year's outturn as the driver model works it out from the approved returns to
    `as_of`, with a scenario's `changes` (none: the base model). 4 queries.
    """
    return _model(year, as_of, _inputs(year, as_of), changes=changes)
