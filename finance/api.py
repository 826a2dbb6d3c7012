"""
The finance endpoint of the read-only API (`/api/v1/finance/?period=2025-03`).

Money is whole pounds as JSON integers (never floats, never pence), and so are
counts of children; a figure not reported is null. The one fraction,
`driver_cost.weeks_remaining`, is a JSON number to two places. `forecast_deficit`
is the forecast in-year deficit: positive is a deficit, negative a surplus.
`variance` is forecast outturn − budget (above zero: an overspend of expenditure,
extra income or savings), and `status` its RAG under the year's tolerance (see
finance.variance). The figures are the approved ones, from the same selector as
the dashboard.

`model` is the driver model's outturn (`finance.model`) worked out from those figures:
a forecast, never a figure, so it is marked `"forecast": true` with its `basis`, and each
line gives the model's outturn beside the Trust's forecast, the difference and why.
"""

from ninja import Router, Schema

from opb_portal.core.api import Figure, FromReturn, Month, figure, read
from opb_portal.submissions.selectors import return_summary

from . import selectors
from .model import position_outturn

router = Router(tags=["Finance"])

#: Whole pounds, as the Trust reports them.
POUNDS = 0
#: Weeks left in the year, as the driver cost is worked out with them.
WEEKS_PLACES = 2


class Line(Schema):
    line: str
    name: str
    group: str
    kind: str
    budget: int | None
    actual_to_date: int | None
    forecast_outturn: int | None
    variance: int | None
    status: str
    commentary: str


class Group(Schema):
    group: str
    kind: str
    budget: int | None
    actual_to_date: int | None
    forecast_outturn: int | None
    variance: int | None
    status: str


class Driver(Schema):
    driver: str
    name: str
    unit: str
    plan: Figure
    value: Figure
    difference: Figure


class DriverCost(Schema):
    weeks_remaining: float
    volume_to_year_end: int | None
    price_to_year_end: int | None
    to_year_end: int | None
    full_year: int | None


class ModelLine(Schema):
    line: str
    modelled: bool
    outturn: int
    trust_forecast: int | None
    difference: int | None
    explanation: str


class Model(Schema):
    forecast: bool  # always true: the model's outturn is a forecast, never a figure
    basis: str
    as_of: str
    expenditure: int
    income: int
    deficit: int
    cumulative_deficit: int
    trust_deficit: int | None
    difference: int | None
    lines: list[ModelLine]


class FinanceMonth(FromReturn):
    period: str
    financial_year: str
    contract_sum: int | None
    income_budget: int | None
    income_forecast: int | None
    expenditure_budget: int | None
    expenditure_actual_to_date: int | None
    expenditure_forecast: int | None
    planned_deficit: int | None
    forecast_deficit: int | None
    variance_against_plan: int | None
    opening_cumulative_deficit: int | None
    forecast_cumulative_deficit: int | None
    status: str
    groups: list[Group]
    lines: list[Line]
    drivers: list[Driver]
    driver_cost: DriverCost | None
    model: Model | None
    illustrative: bool


def _pounds(value):
    return figure(value, POUNDS)


def _money(row) -> dict:
    return {
        "budget": _pounds(row.budget),
        "actual_to_date": _pounds(row.actual_to_date),
        "forecast_outturn": _pounds(row.forecast_outturn),
        "variance": _pounds(row.variance),
        "status": row.status.value,
    }


def _line(row) -> dict:
    return {
        "line": row.code,
        "name": row.name,
        "group": row.group,
        "kind": row.kind,
        **_money(row),
        "commentary": row.commentary,
    }


def _drivers(position) -> list[dict]:
    return [
        {
            "driver": driver.code,
            "name": driver.name,
            "unit": driver.driver.unit,
            "plan": figure(driver.plan),
            "value": figure(driver.value),
            "difference": figure(driver.difference),
        }
        for driver in position.drivers
    ]


def _driver_cost(position) -> dict | None:
    cost = position.driver_cost
    if cost is None:
        return None
    return {
        "weeks_remaining": figure(cost.weeks_remaining, WEEKS_PLACES),
        "volume_to_year_end": _pounds(cost.volume_to_year_end),
        "price_to_year_end": _pounds(cost.price_to_year_end),
        "to_year_end": _pounds(cost.to_year_end),
        "full_year": _pounds(cost.full_year),
    }


def _model(position) -> dict | None:
    model = position_outturn(position)
    if model is None:
        return None
    return {
        "forecast": True,
        "basis": f"Driver model: actual costs to {model.as_of.iso}, then each driver's path "
        "costed month by month; lines without a driver model take the Trust's forecast.",
        "as_of": model.as_of.iso,
        "expenditure": _pounds(model.expenditure),
        "income": _pounds(model.income),
        "deficit": _pounds(model.deficit),
        "cumulative_deficit": _pounds(model.cumulative_deficit),
        "trust_deficit": _pounds(model.trust_deficit),
        "difference": _pounds(model.difference),
        "lines": [
            {
                "line": line.line.code,
                "modelled": line.modelled,
                "outturn": _pounds(line.outturn),
                "trust_forecast": _pounds(line.trust_forecast),
                "difference": _pounds(line.difference),
                "explanation": line.explanation,
            }
            for line in model.lines
        ],
    }


@read(
    router,
    "/",
    name="finance",
    response=FinanceMonth,
    summary="The finance position of one month: budget, actuals, forecast, deficit, drivers",
)
def finance_for_period(request, period: Month):
    position = selectors.finance_position(period)
    groups = [*position.expenditure_groups, position.expenditure, position.income, position.savings]
    return {
        "period": period.iso,
        "financial_year": period.financial_year.label,
        "contract_sum": _pounds(position.contract_sum),
        "income_budget": _pounds(position.income_budget),
        "income_forecast": _pounds(position.income_forecast),
        "expenditure_budget": _pounds(position.expenditure_budget),
        "expenditure_actual_to_date": _pounds(position.expenditure_actual),
        "expenditure_forecast": _pounds(position.expenditure_forecast),
        "planned_deficit": _pounds(position.planned_deficit),
        "forecast_deficit": _pounds(position.forecast_deficit),
        "variance_against_plan": _pounds(position.variance_against_plan),
        "opening_cumulative_deficit": _pounds(position.opening_cumulative_deficit),
        "forecast_cumulative_deficit": _pounds(position.forecast_cumulative_deficit),
        "status": position.status.value,
        "groups": [{"group": group.group, "kind": group.kind, **_money(group)} for group in groups]
        if position.year
        else [],
        "lines": [_line(row) for row in position.lines],
        "drivers": _drivers(position),
        "driver_cost": _driver_cost(position),
        "model": _model(position),
        "illustrative": position.illustrative,
        "return": return_summary(position.ret),
    }
