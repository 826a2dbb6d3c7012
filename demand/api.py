"""The demand endpoints of the read-only API (`/api/v1/benchmarks/`, `/api/v1/demand/`)."""

from opb_portal.core.api import api_response, api_view, json_error
from opb_portal.periods import Period, PeriodError

from . import selectors
from .forms import BenchmarkYearForm
from .models import Measure


def _row(row):
    return {"name": row.name, "kind": row.kind, "value": row.value, "note": row.note}


@api_view()
def benchmarks(request):
    try:
        measure = selectors.benchmark_measure(request.GET.get("measure", ""))
    except Measure.DoesNotExist:
        return json_error(
            400, "measure must be a demand measure's code, for example children_in_care."
        )
    form = BenchmarkYearForm({"year": request.GET.get("year", "")})
    if not form.is_valid() or form.cleaned_data["year"] is None:
        return json_error(400, "year must be a year written as YYYY, for example 2024.")
    bench = selectors.benchmark(measure, form.cleaned_data["year"])
    average = bench.average
    return api_response(
        {
            "measure": measure.code,
            "title": measure.title,
            "year": bench.year,
            "unit": bench.unit_label,
            "home": _row(bench.home),
            "rank": bench.rank,
            "of": bench.group_size,
            "quartile": bench.quartile,
            "ranked": [_row(row) | {"rank": row.rank} for row in bench.ranked],
            "neighbour_average": {
                "group": average.group.name if average.group else None,
                "mean": average.mean,
                "used": average.used,
                "of": average.of,
                "missing": average.missing,
                "published": average.published.value if average.published else None,
                "difference": average.difference,
                "explanation": average.explain(),
            },
            "comparators": [_row(row) for row in bench.others],
        }
    )


def _figure(found):
    return {
        "code": found.measure.code,
        "title": found.measure.title,
        "period": found.value.reporting_period.iso,
        "label": found.value.label,
        "value": found.number,
        "rate_per_10000": found.rate,
        "published_rate": found.value.published_rate,
        "status": found.status.value if found.status else None,
    }


@api_view()
def demand_for_period(request):
    try:
        period = Period.parse(request.GET.get("period", ""))
    except PeriodError:
        return json_error(400, "period must be a month written as YYYY-MM, for example 2025-03.")
    position = selectors.demand_position(period)
    plan = position.plan
    cost = plan.cost
    return api_response(
        {
            "period": period.iso,
            "financial_year": period.financial_year.label,
            "year": [
                _figure(found)
                for trend in position.trends
                if (found := trend.figures.get(position.year_end))
            ],
            "foster_placements": {
                trend.measure.code: {p.iso: _number(trend.figures.get(p)) for p in position.months}
                for trend in position.foster
            },
            "placements_by_type": [_figure(found) for found in position.placements],
            "plan": {
                "residential_children": {"plan": plan.plan_children, "actual": plan.children},
                "residential_weekly_cost": {
                    "plan": plan.plan_weekly_cost,
                    "actual": plan.weekly_cost,
                },
                "cost_per_week": cost.per_week if cost else None,
                "cost_to_year_end": cost.to_year_end if cost else None,
                "cost_full_year": cost.full_year if cost else None,
            },
        }
    )


def _number(found):
    return None if found is None else found.number
