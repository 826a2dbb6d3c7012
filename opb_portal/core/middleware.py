"""
Cross-cutting request handling: session lifetime, caching of pages with figures,
refusals in the audit log, and a database that goes away mid-request.
"""

import logging
import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

from . import audit

logger = logging.getLogger(__name__)

#: Session key holding when the person signed in (seconds since the epoch).
SIGNED_IN_AT = "opb_signed_in_at"


def mark_signed_in(session) -> None:
    """Start the absolute session clock; called when a person signs in."""
    session[SIGNED_IN_AT] = int(time.time())


class AbsoluteSessionTimeoutMiddleware:
    """
    Sign a person out 12 hours (SESSION_ABSOLUTE_AGE) after they signed in,
    however active they were: the idle timeout alone would let a busy session
    live for ever. The login check further down then sends them to sign in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Signed in through the session only: an API token request has no session to age.
        if hasattr(request, "session") and SESSION_KEY in request.session:
            started = request.session.get(SIGNED_IN_AT)
            if started is None:
                # A session from before this check: its clock starts now.
                mark_signed_in(request.session)
            elif time.time() - started > settings.SESSION_ABSOLUTE_AGE:
                logout(request)
        return self.get_response(request)


class NoStoreMiddleware:
    """
    `Cache-Control: no-store` on every response to a signed-in person: pages,
    exports and API answers carry figures that must not stay in a shared or
    browser cache. Static files are answered before this (WhiteNoise).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response


class RefusalAuditMiddleware:
    """An audit line for every 403, whichever check refused (role, CSRF, the admin)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            audit.log_event("permission_denied", request=request, status=403)
        return response


class DatabaseUnavailableMiddleware:
    """
    A database that goes away while a view runs (restarted, failed over, the network
    cut) answers 503 with a page that needs neither the database nor the session.
    The request's transaction is rolled back, so what was committed before stays and
    nothing half-done is kept: the person can safely try again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error(
            "Database unavailable during %s %s", request.method, request.path, exc_info=exception
        )
        return database_unavailable()


def database_unavailable() -> HttpResponse:
    """The 503 page: rendered without a request, so it needs no session and no query."""
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = "60"
    return response


class ErrorPagesMiddleware:
    """
    In debug, the portal's own 403, 404 and 500 pages rather than Django's technical ones.

    `make demo` runs in debug, and it is what every new user meets first: a board
    member who follows a broken link must see the portal's page with its navigation,
    never a traceback or the URL configuration. The traceback still goes to the
    console (the `django.request` log), where the developer running the server reads
    it. Out of debug Django already uses the handlers in `opb_portal.urls`; this
    does nothing there.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        unresolved = getattr(request, "resolver_match", None) is None
        if settings.DEBUG and response.status_code == 404 and unresolved:
            from .views import not_found  # views import this module

            return not_found(request)
        return response

    def process_exception(self, request, exception):
        if not settings.DEBUG or isinstance(exception, OperationalError | InterfaceError):
            return None  # Django's handlers, or the 503 page of DatabaseUnavailableMiddleware
        from django.core.exceptions import PermissionDenied
        from django.http import Http404

        from .views import not_found, permission_denied

        if isinstance(exception, Http404):
            return not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return permission_denied(request, exception)
        logging.getLogger("django.request").error(
            "Internal Server Error: %s", request.path, exc_info=exception
        )
        return HttpResponse(loader.render_to_string("500.html"), status=500)
