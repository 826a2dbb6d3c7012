import sys

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from opb_portal.accounts.permissions import Action, require

from . import api
from . import home as home_panels
from .middleware import database_unavailable


@require(Action.VIEW_DASHBOARDS)
def home(request):
    """The person's home page: the panels their role sees, each built by its owner (core.home)."""
    return render(request, "home.html", {"panels": home_panels.panels_for(request.user)})


def server_error(request):
    """
    The 500 page, or the 503 page when the database is the cause.

    `DatabaseUnavailableMiddleware` answers for a view; this answers when the
    database fails before any view runs (loading the session or the person).
    """
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable()
    if api.answers_json(request):
        return api.server_error(request)
    return HttpResponseServerError(loader.render_to_string("500.html"))


def not_found(request, exception=None):
    """The portal's 404 page, with the view's own sentence for people where it gave one."""
    if api.answers_json(request):
        return api.not_found(request)
    return render(request, "404.html", {"reason": reason_for_people(exception)}, status=404)


def permission_denied(request, exception=None):
    """The portal's 403 page: it names the person's role, never the permission's code."""
    if api.answers_json(request):
        return api.json_error(403, "Your role does not allow this.")
    return render(request, "403.html", status=403)


def reason_for_people(exception) -> str:
    """
    An Http404's message where a view wrote one for people ("There is no return for
    May 2025 yet."); nothing for the URL resolver's own, which is a dict for developers.
    """
    if isinstance(exception, Http404) and exception.args and isinstance(exception.args[0], str):
        return exception.args[0]
    return ""
