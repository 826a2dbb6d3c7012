"""
The demand endpoints of the read-only API (`/api/v1/benchmarks/`, `/api/v1/demand/`).

Figures are JSON numbers with the places they were published with; rates per 10,000
as `demand.models.Measure.rate` works them out. Series (the foster placements month by
month) are lists of `{period, value}`.
"""

from typing import Annotated

from ninja import Query, Router, Schema
from pydantic import WithJsonSchema

from opb_portal.core.api import BadParameter, Figure, Month, Point, figure, read

from . import selectors
from .forms import BenchmarkYearForm
from .models import Measure

router = Router(tags=["Demand"])

MEASURE_SENTENCE = "must be a demand measure's code, for example children_in_care."
YEAR_SENTENCE = "must be a year written as YYYY, for example 2024."


class BenchmarkRow(Schema):
    name: str
    kind: str
    value: Figure
    note: str


class RankedRow(BenchmarkRow):
    rank: int | None


class NeighbourAverage(Schema):
    group: str | None
    mean: Figure
    used: int
    of: int
    missing: list[str]
    published: Figure
    difference: Figure
    explanation: str


class BenchmarkAnswer(Schema):
    measure: str
    title: str
    year: int
    unit: str
    home: BenchmarkRow
    rank: int | None
    of: int
    quartile: int | None
    ranked: list[RankedRow]
    neighbour_average: NeighbourAverage
    comparators: list[BenchmarkRow]


class DemandFigure(Schema):
    code: str
    title: str
    period: str
    label: str
    value: Figure
    rate_per_10000: Figure
    published_rate: Figure
    status: str | None


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


class DemandMonth(Schema):
    period: str
    financial_year: str
    year: list[DemandFigure]
    foster_placements: list[Series]
    placements_by_type: list[DemandFigure]
    plan: Plan


def _row(row):
    return {"name": row.name, "kind": row.kind, "value": figure(row.value), "note": row.note}


@read(
    router,
    "/benchmarks/",
    name="benchmarks",
    response=BenchmarkAnswer,
    summary="Sandwell against its statistical neighbours, the region and England in one year",
)
def benchmarks(
    request,
    measure: Annotated[
        str, Query(description="A demand measure's code.", example="children_in_care")
    ],
    year: Annotated[
        str,
        WithJsonSchema(
            {
                "type": "string",
                "pattern": "^(20[1-9][0-9]|2100)$",
                "description": "A year written as YYYY (2010 to 2100): March of that year.",
                "example": "2024",
            }
        ),
    ],
):
    try:
        found = selectors.benchmark_measure(measure)
    except Measure.DoesNotExist:
        raise BadParameter("measure", MEASURE_SENTENCE) from None
    form = BenchmarkYearForm({"year": year})
    if not form.is_valid() or form.cleaned_data["year"] is None:
        raise BadParameter("year", YEAR_SENTENCE)
    bench = selectors.benchmark(found, form.cleaned_data["year"])
    average = bench.average
    return {
        "measure": found.code,
        "title": found.title,
        "year": bench.year,
        "unit": bench.unit_label,
        "home": _row(bench.home),
        "rank": bench.rank,
        "of": bench.group_size,
        "quartile": bench.quartile,
        "ranked": [_row(row) | {"rank": row.rank} for row in bench.ranked],
        "neighbour_average": {
            "group": average.group.name if average.group else None,
            "mean": figure(average.mean),
            "used": average.used,
            "of": average.of,
            "missing": average.missing,
            "published": figure(average.published.value) if average.published else None,
            "difference": figure(average.difference),
            "explanation": average.explain(),
        },
        "comparators": [_row(row) for row in bench.others],
    }


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
    }


def _number(found):
    return None if found is None else figure(found.number)
