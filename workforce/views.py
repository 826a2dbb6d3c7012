from django.shortcuts import render

from opb_portal.accounts.permissions import Action, can, require
from opb_portal.core.forms import PeriodForm
from opb_portal.periods import Period

from . import charts, selectors
from .tables import CaseloadTable, WorkforceHistoryTable


@require(Action.VIEW_DASHBOARDS)
def dashboard(request):
    form = PeriodForm(request.GET)
    valid = form.is_valid()
    period = (
        (valid and form.cleaned_data["period"]) or selectors.latest_period() or Period.current()
    )
    board = selectors.workforce_dashboard(period)
    context = {
        "form": form,
        "board": board,
        "position": board.position,
        "charts": charts.for_dashboard(board),
        "caseloads": CaseloadTable(board.position.caseloads),
        "history": WorkforceHistoryTable(list(reversed(board.history.with_figures))),
        # The Trust's submitters are told when their latest figures await approval.
        "own_return": can(request.user, Action.SUBMIT_RETURN, domain="workforce"),
    }
    return render(request, "workforce/dashboard.html", context, status=200 if valid else 400)
