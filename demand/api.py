"""
The demand endpoint of the read-only API (`/api/v1/demand/`); a measure's benchmarks are
the comparator store's (`/api/v1/benchmarks/`, `opb_portal.comparators.api`).

Figures are JSON numbers with the places they were published with; rates per 10,000
as `demand.models.Measure.rate` works them out. Series (the foster placements month by
month) are lists of `{period, value}`. The projection of children we care for and their
placements is marked `"kind": "projection"`, as a whole and in every month.
"""

from ninja import Router, Schema

from opb_portal.core.api import Figure, Month, Point, figure, read

from . import selectors
from .projection import PLACEMENTS

# How the API marks a projected figure, month by month: never to be read as an actual.
PROJECTION = "projection"

router = Router(tags=["Demand"])


class DemandFigure(Schema):
    code: str
    title: str
    period: str
    label: str
    value: Figure
    rate_per_10000: Figure
    published_rate: Figure
    status: str | None
    illustrative: bool  # a demonstration value nobody published


class Series(Schema):
    code: str
    title: str
    series: list[Point]


class PlanAndActual(Schema):
    plan: Figure
    actual: Figure


class Plan(Schema):
    """Demand against the finance plan's residential assumptions: finance's panel fills it."""

    residential_children: PlanAndActual
    residential_weekly_cost: PlanAndActual
    cost_per_week: Figure
    cost_to_year_end: Figure
    cost_full_year: Figure


# The plan block when no domain offers the "demand against plan" panel: as for a year
# without a finance plan, every figure is null.
NO_PLAN = {
    "residential_children": {"plan": None, "actual": None},
    "residential_weekly_cost": {"plan": None, "actual": None},
    "cost_per_week": None,
    "cost_to_year_end": None,
    "cost_full_year": None,
}


class ProjectedMonth(Schema):
    """One month of the projection: never a figure, so every month says `"kind": "projection"`."""

    period: str
    kind: str
    children_in_care: Figure
    placements_residential: Figure
    placements_supported: Figure
    placements_foster_internal: Figure
    placements_foster_external: Figure


class Projection(Schema):
    """Children we care for projected a year on from the month (`demand.projection`)."""

    kind: str
    starts_from: str
    count: Figure
    basis: str
    accuracy: str | None
    months: list[ProjectedMonth]


class DemandMonth(Schema):
    period: str
    financial_year: str
    year: list[DemandFigure]
    foster_placements: list[Series]
    placements_by_type: list[DemandFigure]
    plan: Plan
    projection: Projection | None


def _figure(found):
    return {
        "code": found.measure.code,
        "title": found.measure.title,
        "period": found.value.period.iso,
        "label": found.value.label,
        "value": figure(found.number),
        "rate_per_10000": figure(found.rate),
        "published_rate": figure(found.value.published_rate),
        "status": found.status.value if found.status else None,
        "illustrative": found.value.illustrative,
    }


@read(
    router,
    "/demand/",
    name="demand",
    response=DemandMonth,
    summary="Demand for one month: the year's figures, foster placements, placements, the plan",
)
def demand_for_period(request, period: Month):
    position = selectors.demand_position(period)
    return {
        "period": period.iso,
        "financial_year": period.financial_year.label,
        "year": [
            _figure(found)
            for trend in position.trends
            if (found := trend.figures.get(position.year_end))
        ],
        "foster_placements": [
            {
                "code": trend.measure.code,
                "title": trend.measure.title,
                "series": [
                    {"period": p.iso, "value": _number(trend.figures.get(p))}
                    for p in position.months
                ],
            }
            for trend in position.foster
        ],
        "placements_by_type": [_figure(found) for found in position.placements],
        "plan": position.plan.data if position.plan else NO_PLAN,
        "projection": _projection(position.ahead),
    }


def _projection(ahead):
    """The projection, each month marked as one; None where there is nothing to project from."""
    if ahead is None:
        return None
    keys = [p.key.replace(".", "_") for p in PLACEMENTS]
    return {
        "kind": PROJECTION,
        "starts_from": ahead.model.origin.iso,
        "count": figure(ahead.model.count),
        "basis": ahead.children.basis,
        "accuracy": ahead.backtest.sentence if ahead.backtest else None,
        "months": [
            {
                "period": month.period.iso,
                "kind": PROJECTION,
                "children_in_care": figure(month.in_care),
                **{key: figure(value) for key, value in zip(keys, month.placements, strict=True)},
            }
            for month in ahead.months
        ],
    }


def _number(found):
    return None if found is None else figure(found.number)
