"""
The finance endpoint of the read-only API (`/api/v1/finance/?period=2025-03`).

Money is whole pounds as JSON integers (never floats, never pence), and so
are counts of children; a figure not reported is null. The one fraction,
`driver_cost.weeks_remaining`, is a decimal string, as the KPI API writes its
values. `forecast_deficit` is the forecast in-year deficit:
positive is a deficit, negative a surplus. `variance` is forecast outturn −
budget (above zero: an overspend of expenditure, extra income or savings), and
`status` its RAG under the year's tolerance (see finance.variance). The
figures are the approved ones, from the same selector as the dashboard.
"""

from decimal import Decimal

from opb_portal.core.api import api_response, api_view, json_error
from opb_portal.periods import Period, PeriodError
from opb_portal.submissions.selectors import return_summary

from . import selectors


def _pounds(value: Decimal | None) -> int | None:
    return None if value is None else int(value)


def _number(value: Decimal | None):
    """Counts as integers; anything with a fraction as a decimal string, like the KPI API."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value


def _line(row) -> dict:
    return {
        "line": row.code,
        "name": row.name,
        "group": row.group,
        "kind": row.kind,
        "budget": _pounds(row.budget),
        "actual_to_date": _pounds(row.actual_to_date),
        "forecast_outturn": _pounds(row.forecast_outturn),
        "variance": _pounds(row.variance),
        "status": row.status.value,
        "commentary": row.commentary,
    }


def _drivers(position) -> list[dict]:
    return [
        {
            "driver": driver.code,
            "name": driver.name,
            "unit": driver.driver.unit,
            "plan": _number(driver.plan),
            "value": _number(driver.value),
            "difference": _number(driver.difference),
        }
        for driver in position.drivers
    ]


def _driver_cost(position) -> dict | None:
    cost = position.driver_cost
    if cost is None:
        return None
    return {
        "weeks_remaining": str(cost.weeks_remaining.quantize(Decimal("0.01"))),
        "volume_to_year_end": _pounds(cost.volume_to_year_end),
        "price_to_year_end": _pounds(cost.price_to_year_end),
        "to_year_end": _pounds(cost.to_year_end),
        "full_year": _pounds(cost.full_year),
    }


@api_view()
def finance_for_period(request):
    try:
        period = Period.parse(request.GET.get("period", ""))
    except PeriodError:
        return json_error(400, "period must be a month written as YYYY-MM, for example 2025-03.")
    position = selectors.finance_position(period)
    return api_response(
        {
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
            "groups": [
                {
                    "group": group.group,
                    "kind": group.kind,
                    "budget": _pounds(group.budget),
                    "actual_to_date": _pounds(group.actual_to_date),
                    "forecast_outturn": _pounds(group.forecast_outturn),
                    "variance": _pounds(group.variance),
                    "status": group.status.value,
                }
                for group in [
                    *position.expenditure_groups,
                    position.expenditure,
                    position.income,
                    position.savings,
                ]
            ]
            if position.year
            else [],
            "lines": [_line(row) for row in position.lines],
            "drivers": _drivers(position),
            "driver_cost": _driver_cost(position),
            "illustrative": position.illustrative,
            "return": return_summary(position.ret),
        }
    )
