"""
Two-factor sign-in pages: the second step of signing in, setting up an authenticator app,
recovery codes, and turning it off.

The second step and setting up are the only pages a session owing one of them reaches
(`TwoFactorMiddleware`); they say so with `two_factor_step`.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from opb_portal.core.audit import log_event

from . import two_factor
from .forms import AuthenticatorCodeForm, FirstFactorForm, RecoveryCodeForm
from .permissions import FORM, POST, Action, require
from .two_factor import Method, Step, TwoFactorError


def two_factor_step(step: Step):
    """Mark the view as the page that completes `step`, open to a session that owes it."""

    def decorator(view):
        view.two_factor_step = step
        return view

    return decorator


def _next_url(request) -> str:
    """Where the person was going, if it is a page of this portal; otherwise home."""
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("home")


def _with_next(name: str, request) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next_url(request)})}"


def _verified_first(request):
    """Changing a second factor needs that factor given in this session, not the password alone."""
    if not two_factor.has_two_factor(request.user):
        messages.info(request, "Two-factor sign-in is not on for you yet.")
        return redirect("accounts:two_factor")
    if not request.user.is_verified():
        return redirect(
            f"{reverse(Step.VERIFY.value)}?{urlencode({'next': reverse('accounts:two_factor')})}"
        )
    return None


@require(Action.MANAGE_TWO_FACTOR)
def account(request):
    user = request.user
    context = {
        "enabled": two_factor.has_two_factor(user),
        "required": user.two_factor_required(),
        "codes_left": two_factor.recovery_codes_left(user),
    }
    return render(request, "accounts/two_factor.html", context)


@two_factor_step(Step.ENROL)
@require(Action.MANAGE_TWO_FACTOR, methods=FORM)
def enrol(request):
    try:
        device = two_factor.two_factor_start(user=request.user)
    except TwoFactorError as refused:
        messages.info(request, refused.message)
        return redirect("accounts:two_factor")
    code_needed = two_factor.enrolment_code_needed(request.user)
    form_class = FirstFactorForm if code_needed else AuthenticatorCodeForm
    form = form_class(request.POST or None, button="Turn on two-factor sign-in")
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.two_factor_confirm(
                device=device,
                code=form.cleaned_data["code"],
                enrolment_code=form.cleaned_data.get("enrolment_code", ""),
            )
        except TwoFactorError as refused:
            field = "enrolment_code" if refused.reason.startswith("enrolment_code") else "code"
            form.add_error(field, refused.message)
            log_event(
                "two_factor_failed", request=request, during="enrolment", reason=refused.reason
            )
        else:
            otp_login(request, device)
            request.session[two_factor.NEW_RECOVERY_CODES] = codes
            log_event("two_factor_enrolled", request=request, with_enrolment_code=code_needed)
            messages.success(request, "Two-factor sign-in is on.")
            return redirect(_with_next("accounts:recovery_codes", request))
    context = {
        "form": form,
        "qr": two_factor.enrolment_qr(device),
        "key": two_factor.manual_key(device),
        "required": request.user.two_factor_required(),
        "code_needed": code_needed,
        "next": _next_url(request),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "accounts/two_factor_enrol.html", context, status=status)


@require_http_methods(FORM)
@two_factor_step(Step.VERIFY)
def verify(request):
    """The second step of signing in, with the app's code or (`?using=recovery`) a recovery code."""
    if two_factor.pending_step(request) != Step.VERIFY or not two_factor.has_two_factor(
        request.user
    ):
        # Nothing owed (given already, or the factor was removed meanwhile): carry on.
        request.session.pop(two_factor.PENDING, None)
        return redirect(_next_url(request))
    method = (
        Method.RECOVERY_CODE if request.GET.get("using") == "recovery" else Method.AUTHENTICATOR
    )
    form_class = RecoveryCodeForm if method == Method.RECOVERY_CODE else AuthenticatorCodeForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.two_factor_verify(
                user=request.user, code=form.cleaned_data["code"], method=method
            )
        except TwoFactorError as refused:
            form.add_error("code", refused.message)
            log_event(
                "two_factor_failed",
                request=request,
                during="sign_in",
                factor=method,
                reason=refused.reason,
            )
        else:
            # A new session key for the session that now has both factors.
            request.session.cycle_key()
            otp_login(request, device)
            request.session.pop(two_factor.PENDING, None)
            left = two_factor.recovery_codes_left(request.user)
            log_event("two_factor_verified", request=request, factor=method, recovery_codes=left)
            if method == Method.RECOVERY_CODE:
                messages.warning(
                    request,
                    f"You signed in with a recovery code; {left} left. If your phone is lost, "
                    "turn two-factor sign-in off and on again with a new one.",
                )
            return redirect(_next_url(request))
    context = {"form": form, "method": method, "next": _next_url(request)}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "registration/two_factor_verify.html", context, status=status)


@require(Action.MANAGE_TWO_FACTOR, methods=FORM)
def recovery_codes(request):
    """New codes are shown once, on the page after they are made; a POST makes a new set."""
    if refused := _verified_first(request):
        return refused
    if request.method == "POST":
        request.session[two_factor.NEW_RECOVERY_CODES] = two_factor.recovery_codes_regenerate(
            user=request.user
        )
        log_event("recovery_codes_regenerated", request=request)
        return redirect("accounts:recovery_codes")
    context = {
        "codes": request.session.pop(two_factor.NEW_RECOVERY_CODES, None),
        "codes_left": two_factor.recovery_codes_left(request.user),
        "next": _next_url(request),
    }
    return render(request, "accounts/recovery_codes.html", context)


@require(Action.MANAGE_TWO_FACTOR, methods=POST)
def disable(request):
    if refused := _verified_first(request):
        return refused
    two_factor.two_factor_disable(user=request.user)
    log_event("two_factor_disabled", request=request)
    if request.user.two_factor_required():
        messages.warning(
            request,
            "Two-factor sign-in is off. Your role requires it: to carry on, set it up again "
            "with an enrolment code from an administrator.",
        )
    else:
        messages.success(request, "Two-factor sign-in is off: you sign in with your password.")
    return redirect("accounts:two_factor")
