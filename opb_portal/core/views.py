import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponseServerError
from django.shortcuts import redirect
from django.template import loader

from opb_portal.accounts.permissions import Action, require

from .middleware import database_unavailable


@require(Action.VIEW_DASHBOARDS)
def home(request):
    return redirect("kpis:scorecard")


def server_error(request):
    """
    The 500 page, or the 503 page when the database is the cause.

    `DatabaseUnavailableMiddleware` answers for a view; this answers when the
    database fails before any view runs (loading the session or the person).
    """
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable()
    return HttpResponseServerError(loader.render_to_string("500.html"))
