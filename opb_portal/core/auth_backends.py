"""Sign-in lock-out (django-axes), keyed on the username and the client's address."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings


class PortalAxesBackend(AxesStandaloneBackend):
    """
    django-axes' lock-out check, for sign-ins that come with a request.

    A lock-out is keyed on the address a request came from; `authenticate()`
    without a request (the test client's `login`, the shell) has no address,
    so it is left to the model backend instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str | None:
    """
    The client's address: REMOTE_ADDR, or behind our reverse proxy the last
    address of X-Forwarded-For (the one the proxy itself appended).
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")
