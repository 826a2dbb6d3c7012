"""
Signing in and out: the portal's password form (off for all but break-glass accounts where
single sign-on is required) and each organisation's identity provider (accounts.sso).
"""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.views.decorators.http import require_safe
from mozilla_django_oidc.utils import (
    absolutify,
    add_state_and_verifier_and_nonce_to_session,
    generate_code_challenge,
)
from mozilla_django_oidc.views import get_next_url

from opb_portal.core.audit import log_event

from . import sso, two_factor
from .models import Organisation
from .sso import SignInRefused

#: Session key, mozilla-django-oidc's: where the person was going when they started.
NEXT = "oidc_login_next"


class PasswordSignInForm(AuthenticationForm):
    """Django's sign-in form, refusing a right password where passwords are off for this person."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "sso_only": "Portal passwords are turned off: sign in with your organisation's "
        "account, with the button above.",
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.may_use_password():
            log_event(
                "login_failed",
                request=self.request,
                username=user.username,
                via="password",
                reason="local_passwords_off",
            )
            # What the page says instead of "did not match": the password was right.
            self.passwords_off = self.error_messages["sso_only"]
            raise forms.ValidationError(self.passwords_off, code="sso_only")


class LoginView(auth_views.LoginView):
    form_class = PasswordSignInForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_buttons"] = sso.buttons()
        context["passwords_for_everyone"] = settings.LOCAL_PASSWORDS == "everyone"
        return context


class LogoutView(auth_views.LogoutView):
    """Signing out; a session from a provider then signs out there too (RP-initiated logout)."""

    def post(self, request, *args, **kwargs):
        # Read before the session is gone.
        end_session = sso.end_session_url(request)
        response = super().post(request, *args, **kwargs)
        return redirect(end_session) if end_session else response


def _provider_or_404(kind: str) -> sso.Provider:
    provider = sso.provider_for(kind)
    if provider is None:
        raise Http404("Single sign-on is not set up for this organisation.")
    return provider


@login_not_required
@require_safe
def sso_start(request, kind: str):
    """Off to the organisation's provider: code flow with PKCE, a fresh state and nonce."""
    provider = _provider_or_404(kind)
    state, nonce = get_random_string(32), get_random_string(32)
    code_verifier = get_random_string(64)
    params = {
        "response_type": "code",
        "scope": provider.scopes,
        "client_id": provider.client_id,
        "redirect_uri": absolutify(request, reverse("sso_callback", kwargs={"kind": kind})),
        "state": state,
        "nonce": nonce,
    }
    if settings.OIDC_USE_PKCE:
        params["code_challenge"] = generate_code_challenge(code_verifier, "S256")
        params["code_challenge_method"] = "S256"
    add_state_and_verifier_and_nonce_to_session(request, state, params, code_verifier)
    request.session[NEXT] = get_next_url(request, "next")
    return redirect(f"{provider.authorization_endpoint}?{urlencode(params)}")


def _take_state(request) -> dict:
    """The nonce and verifier kept for this answer's state, removed: a state works once."""
    states = request.session.get("oidc_states") or {}
    entry = states.pop(request.GET.get("state", ""), None)
    request.session["oidc_states"] = states
    if entry is None:
        raise SignInRefused(
            "state",
            "the answer did not belong to a sign-in started in this browser, or was used "
            "already. Start again from the sign-in page.",
        )
    return entry


@login_not_required
@require_safe
def sso_callback(request, kind: str):
    """The provider's answer: verify it, find the person, sign them in, or say why not."""
    provider = _provider_or_404(kind)
    organisation = Organisation.objects.filter(kind=kind).first()
    name = str(organisation) if organisation else kind
    try:
        if request.GET.get("error"):
            _take_state(request)
            raise SignInRefused(
                "provider_error",
                "the provider said: "
                + (request.GET.get("error_description") or request.GET["error"])[:300],
            )
        if organisation is None:
            raise SignInRefused("no_organisation", "this organisation is not in the portal.")
        entry = _take_state(request)
        claims, id_token = sso.OrganisationOIDCBackend().sign_in(
            request,
            provider=provider,
            code=request.GET.get("code", ""),
            nonce=entry.get("nonce", ""),
            code_verifier=entry.get("code_verifier") or "",
        )
        user = sso.person_sign_in(provider=provider, organisation=organisation, claims=claims)
    except SignInRefused as refused:
        log_event("login_failed", request=request, via=f"sso:{kind}", reason=refused.reason)
        context = {"organisation": name, "why": refused.message}
        return render(request, "registration/sso_refused.html", context, status=403)
    next_url = request.session.get(NEXT)
    request.sign_in_via = f"sso:{kind}"
    auth.login(request, user, backend=sso.BACKEND)
    request.session[sso.SSO_ORGANISATION] = kind
    request.session[sso.ID_TOKEN] = id_token
    if sso.second_factor_given(provider=provider, claims=claims):
        # The provider asked for a second factor: the portal does not ask again.
        request.session[sso.SECOND_FACTOR_BY] = f"sso:{kind}"
        request.session.pop(two_factor.PENDING, None)
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)
