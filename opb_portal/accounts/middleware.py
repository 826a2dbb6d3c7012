from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from opb_portal.core.api import answers_json, json_error

from . import two_factor
from .models import ApiToken

#: Pages a person may reach between the password and the second factor (besides its own page).
OPEN_DURING_SIGN_IN = frozenset({"login", "logout", "healthz", "livez", "readyz"})


class ApiTokenMiddleware:
    """
    Authenticate `Authorization: Token <key>` requests to the API.

    The key is looked up by its SHA-256 (only that is stored): a revoked key, or the key
    of a person who was disabled, opens nothing. Its last use is noted, at most once a
    minute, for its owner and the administrators to see.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if header.startswith("Token ") and answers_json(request):
            token = ApiToken.for_key(header.removeprefix("Token ").strip())
            if token:
                token.mark_used()
                request.user = token.user
                # A script's key, not a person at a sign-in form: no second factor to ask for.
                request.signed_in_by_token = True
                # Token requests are not from a browser form: no CSRF cookie to check.
                request._dont_enforce_csrf_checks = True
        return self.get_response(request)


class TwoFactorMiddleware:
    """
    Hold a session signed in with a password only to the second step: the code for a
    person who has a second factor, setting one up for a role that must have one.
    Every page is behind it, the admin and the API by session included; a view marks
    the step it serves with `two_factor_step`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        step = two_factor.pending_step(request)
        if step is None or getattr(view_func, "two_factor_step", None) == step:
            return None
        match = request.resolver_match
        if match.view_name in OPEN_DURING_SIGN_IN:
            return None
        if "api" in match.namespaces:
            return json_error(401, "Finish signing in: your second factor is still needed.")
        return redirect(f"{reverse(step.value)}?{urlencode({'next': request.get_full_path()})}")
