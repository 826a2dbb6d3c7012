"""
A person's own API keys, at `/accounts/api-keys/`: make one (shown once), see when each
was last used, revoke any. Administrators see and revoke everyone's in the admin.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path

from opb_portal.core.audit import log_event

from .models import ApiToken
from .permissions import FORM, POST, Action, require


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        required=False,
        label="What the key is for",
        help_text="For example “Power BI on the board dashboard”, so you can tell your keys apart.",
    )


@require(Action.USE_API, methods=FORM)
def api_keys(request):
    """The list of one's keys; a POST makes one, shown on the page it answers with, once."""
    made = None
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, made = ApiToken.issue(user=request.user, name=form.cleaned_data["name"])
        log_event("api_key_made", request=request, key=token.prefix)
        form = ApiKeyForm()
    keys = ApiToken.objects.filter(user=request.user).select_related("revoked_by")
    return render(request, "accounts/api_keys.html", {"form": form, "keys": keys, "made": made})


@require(Action.USE_API, methods=POST)
def api_key_revoke(request, pk: int):
    # Another person's key does not exist for you: a 404, not a 403 that would confirm it does.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.revoke(by=request.user)
    log_event("api_key_revoked", request=request, key=token.prefix, owner=request.user.username)
    messages.success(request, f"The key starting {token.prefix} no longer opens the API.")
    return redirect("api_keys:list")


urlpatterns = (
    [
        path("", api_keys, name="list"),
        path("<int:pk>/revoke/", api_key_revoke, name="revoke"),
    ],
    "api_keys",
)
