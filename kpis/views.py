from django.http import Http404
from django.shortcuts import render

from opb_portal.accounts.models import Organisation
from opb_portal.accounts.permissions import Action, require
from opb_portal.core.forms import PeriodForm
from opb_portal.periods import FinancialYear, Period

from . import charts, selectors
from .models import KpiDefinition
from .tables import KpiHistoryTable, ScorecardTable, YearSummaryTable


@require(Action.VIEW_DASHBOARDS)
def scorecard(request):
    form = PeriodForm(request.GET)
    valid = form.is_valid()
    period = (
        (valid and form.cleaned_data["period"]) or selectors.latest_period() or Period.current()
    )
    trust = getattr(request.user.organisation, "kind", None) == Organisation.Kind.TRUST
    card = selectors.scorecard(period, with_unapproved=trust)
    # Exceptions first, then the rest in framework order.
    rows = sorted(card.rows, key=lambda row: not row.escalated)
    context = {
        "form": form,
        "card": card,
        "table": ScorecardTable(rows),
        "unapproved": any(row.unapproved for row in rows),
        "periods": selectors.reporting_periods(),
    }
    return render(request, "kpis/scorecard.html", context, status=200 if valid else 400)


@require(Action.VIEW_DASHBOARDS)
def kpi_detail(request, framework, code):
    try:
        kpi = selectors.kpi_for_page(framework, code)
    except KpiDefinition.DoesNotExist as exc:
        raise Http404("No such KPI") from exc
    history = selectors.kpi_history(kpi)
    context = {
        "kpi": kpi,
        "history": history,
        "chart": charts.history_chart(history),
        "table": KpiHistoryTable(list(reversed(history.months))),
    }
    return render(request, "kpis/kpi_detail.html", context)


@require(Action.VIEW_DASHBOARDS)
def year_summary(request, year=None):
    if year is None:
        latest = selectors.latest_period() or Period.current()
        fy = latest.financial_year
    else:
        try:
            fy = FinancialYear.parse(year)
        except ValueError as exc:
            raise Http404(str(exc)) from exc
    summary = selectors.year_summary(fy)
    years = selectors.reporting_years()
    context = {
        "summary": summary,
        "table": YearSummaryTable(summary.rows),
        # Only years with figures are offered: a link is never a way off the end of the data.
        "previous_year": max(
            (y for y in years if y.start_year < fy.start_year),
            default=None,
            key=lambda y: y.start_year,
        ),
        "next_year": min(
            (y for y in years if y.start_year > fy.start_year),
            default=None,
            key=lambda y: y.start_year,
        ),
    }
    return render(request, "kpis/year_summary.html", context)
