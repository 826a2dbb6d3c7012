"""Sign-in lock-out (django-axes), keyed on the username and the client's address."""

from ipaddress import ip_address, ip_network

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
    The client's address, the one way the portal reads it (the lock-out, the audit log).

    REMOTE_ADDR, the peer that opened the connection, unless we are behind our reverse
    proxy and that peer is one of `TRUSTED_PROXIES`: then the entry of X-Forwarded-For
    that our proxies appended, `TRUSTED_PROXY_COUNT` from the right. Entries to its left
    are whatever the client sent and are never believed; a client that reaches gunicorn
    directly is known by its own address, whatever X-Forwarded-For it makes up, so it
    cannot sidestep the lock-out by changing the header on every try.
    """
    peer = request.META.get("REMOTE_ADDR")
    if not (settings.BEHIND_PROXY and _is_trusted_proxy(peer)):
        return peer
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(hops) < settings.TRUSTED_PROXY_COUNT:
        # Fewer entries than proxies: the header did not come through our proxies as configured.
        return peer
    forwarded = hops[-settings.TRUSTED_PROXY_COUNT]
    try:
        return str(ip_address(forwarded))
    except ValueError:
        # Not an address (empty, or mangled on the way): the proxy is all we can vouch for.
        return peer


def _is_trusted_proxy(peer: str | None) -> bool:
    try:
        address = ip_address(peer or "")
    except ValueError:
        return False
    return any(address in ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES)
