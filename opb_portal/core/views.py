from django.shortcuts import redirect

from opb_portal.accounts.permissions import Action, require


@require(Action.VIEW_DASHBOARDS)
def home(request):
    return redirect("kpis:scorecard")
