from django.http import Http404
from django.shortcuts import render

from opb_portal.accounts.models import Organisation
from opb_portal.accounts.permissions import POST, Action, can, require
from opb_portal.core import panels
from opb_portal.core.db_router import replica_reader
from opb_portal.core.reporting import financial_year_or_404, period_from_request
from opb_portal.jobs import views as job_views
from opb_portal.periods import Period
from opb_portal.submissions.figures import Source

from . import charts, forecast_jobs, outlook, selectors, subjects
from .models import KpiDefinition
from .tables import (
    EarlierForecastsTable,
    KpiHistoryTable,
    LookingAheadTable,
    ScorecardTable,
    YearSummaryTable,
)


@replica_reader
@require(Action.VIEW_DASHBOARDS)
def scorecard(request):
    asked = period_from_request(request, latest=selectors.latest_period)
    period = asked.period
    # The Trust's own people also see their latest figures beside the approved ones.
    trust = getattr(request.user.organisation, "kind", None) == Organisation.Kind.TRUST
    card = selectors.scorecard(period, beside=Source.LATEST if trust else None)
    # Exceptions first, then the rest in framework order.
    rows = sorted(card.rows, key=lambda row: not row.escalated)
    ahead = outlook.outlooks([row.kpi for row in card.rows], period) if card.rows else {}
    context = {
        "form": asked.form,
        "card": card,
        "table": ScorecardTable(rows, outlooks=ahead),
        "periods": selectors.reporting_periods(),
    }
    return render(request, "kpis/scorecard.html", context, status=asked.status)


@replica_reader
@require(Action.VIEW_DASHBOARDS)
def kpi_detail(request, framework, code):
    try:
        kpi = selectors.kpi_for_page(framework, code)
    except KpiDefinition.DoesNotExist as exc:
        raise Http404("No such KPI") from exc
    history = selectors.kpi_history(kpi)
    ahead = outlook.outlooks([kpi], history.last_period).get(kpi.pk)
    record = selectors.forecast_record(history)
    context = {
        "kpi": kpi,
        "history": history,
        "chart": charts.history_chart(history, outlook=ahead, width=900, height=320, fluid=True),
        "table": KpiHistoryTable(list(reversed(history.months))),
        "outlook": ahead,
        "ahead": LookingAheadTable(charts.ahead_of(history, ahead), kpi=kpi),
        "record": record,
        "earlier": EarlierForecastsTable(record.checks, kpi=kpi),
        # Its exception reports and rectification plans, where a domain offers them.
        "accountability": panels.about("governance.about", subjects.subject_of(kpi).ref),
        "may_refresh_forecasts": can(request.user, Action.MANAGE_FRAMEWORKS),
    }
    return render(request, "kpis/kpi_detail.html", context)


@replica_reader
@require(Action.VIEW_DASHBOARDS)
def year_summary(request, year=None):
    if year is None:
        latest = selectors.latest_period() or Period.current()
        fy = latest.financial_year
    else:
        fy = financial_year_or_404(year)
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


@require(Action.MANAGE_FRAMEWORKS, methods=POST)
def forecasts_refresh(request):
    """An administrator makes every KPI's forecasts again, as a job (nightly by the scheduler)."""
    return job_views.job_asked(request, kind=forecast_jobs.KIND, params={})
