from django.http import Http404
from django.shortcuts import render

from opb_portal.accounts.permissions import Action, require
from opb_portal.core.db_router import replica_reader
from opb_portal.core.reporting import period_from_request

from . import charts, selectors
from .forms import BenchmarkYearForm, year_error
from .models import Measure


@replica_reader
@require(Action.VIEW_DASHBOARDS)
def benchmark(request, code):
    try:
        measure = selectors.benchmark_measure(code)
    except Measure.DoesNotExist as exc:
        raise Http404("No such demand measure") from exc
    form = BenchmarkYearForm(request.GET)
    valid = form.is_valid()
    year = (valid and form.cleaned_data["year"]) or None
    bench, history = selectors.benchmark_with_history(measure, year)
    if not history:
        # Nothing to compare: the dashboard offers no link here, and there is no empty page.
        raise Http404("No comparator figures are stored for this measure")
    context = {
        "form": form,
        "error": year_error(form),
        "bench": bench,
        "chart": charts.benchmark_chart(bench),
        "history": history,
        "history_chart": charts.history_chart(history) if history else "",
    }
    return render(request, "demand/benchmark.html", context, status=200 if valid else 400)


@replica_reader
@require(Action.VIEW_DASHBOARDS)
def dashboard(request):
    asked = period_from_request(request, latest=selectors.latest_period)
    position = selectors.demand_position(asked.period)
    context = {
        "form": asked.form,
        "position": position,
        "trend_chart": charts.trends_chart(
            position,
            ("children_in_care", "cp_plans", "children_in_need", "care_experienced"),
            title="Children we care for, on a plan and in need, at 31 March",
            fluid=True,
        ),
        "flow_chart": charts.trends_chart(
            position,
            ("referrals", "s47_enquiries", "icpc"),
            title="Referrals, section 47 enquiries and conferences by year",
            y_label="A year",
            fluid=True,
        ),
        "foster_chart": charts.foster_chart(position, fluid=True),
        "placements_chart": (
            charts.placements_by_type_chart(position, fluid=True) if position.placements else ""
        ),
        "ahead_chart": (charts.looking_ahead_chart(position, fluid=True) if position.ahead else ""),
        "shown": selectors.activity_shown(asked.period),
        "periods": selectors.reporting_periods(),
        "benchmarked": selectors.benchmarked(),
    }
    return render(request, "demand/dashboard.html", context, status=asked.status)
