from django.shortcuts import render

from opb_portal.accounts.permissions import Action, require
from opb_portal.core.db_router import replica_reader
from opb_portal.core.reporting import period_from_request

from . import charts, selectors
from .tables import CaseloadTable, WorkforceHistoryTable


@replica_reader
@require(Action.VIEW_DASHBOARDS)
def dashboard(request):
    asked = period_from_request(request, latest=selectors.latest_period)
    board = selectors.workforce_dashboard(asked.period)
    context = {
        "form": asked.form,
        "board": board,
        "position": board.position,
        "charts": charts.for_dashboard(board),
        "caseloads": CaseloadTable(board.position.caseloads),
        "history": WorkforceHistoryTable(list(reversed(board.history.with_figures))),
    }
    return render(request, "workforce/dashboard.html", context, status=asked.status)
