"""
One way to know a client's address: `client_ip`, used by the lock-out and the audit log.

X-Forwarded-For is believed only from our own proxy, and only the entry it appended:
a client that reaches gunicorn directly, or forges entries in front of the proxy's,
is known by the address the connection really came from.
"""

import json
from ipaddress import ip_network

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.test.utils import override_settings

from opb_portal.core.auth_backends import client_ip
from tests.processes import manage

PROXY = "127.0.0.1"
DIRECT = "198.51.100.20"
CLIENT = "203.0.113.9"
NET = "10.0.0.0/24"


def _client_ip(peer: str, forwarded: str) -> str | None:
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded))


def test_not_behind_a_proxy_the_header_is_ignored(settings):
    settings.BEHIND_PROXY = False
    assert _client_ip(PROXY, CLIENT) == PROXY


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        pytest.param(PROXY, CLIENT, CLIENT, id="from-the-proxy-what-it-appended"),
        pytest.param(PROXY, f"6.6.6.6, {CLIENT}", CLIENT, id="forged-left-entries-ignored"),
        pytest.param(DIRECT, CLIENT, DIRECT, id="a-direct-client-by-its-own-address"),
        pytest.param(DIRECT, "", DIRECT, id="a-direct-client-without-the-header"),
        pytest.param(PROXY, "", PROXY, id="from-the-proxy-without-the-header"),
        pytest.param(PROXY, "unknown", PROXY, id="an-entry-that-is-not-an-address"),
        pytest.param(PROXY, "6.6.6.6, 2001:db8::7", "2001:db8::7", id="an-ipv6-client"),
        pytest.param("::1", CLIENT, CLIENT, id="a-proxy-on-ipv6-loopback"),
    ],
)
def test_behind_one_proxy_on_loopback_only_its_own_entry_is_believed(
    settings, peer, forwarded, expected
):
    settings.BEHIND_PROXY = True
    assert _client_ip(peer, forwarded) == expected


@pytest.mark.parametrize(
    ("proxies", "count", "peer", "forwarded", "expected"),
    [
        pytest.param(NET, 1, "10.0.0.7", CLIENT, CLIENT, id="a-proxy-in-a-trusted-network"),
        pytest.param(NET, 1, PROXY, CLIENT, PROXY, id="loopback-untrusted-if-proxies-elsewhere"),
        pytest.param(PROXY, 2, PROXY, f"6.6.6.6, {CLIENT}, 10.0.0.2", CLIENT, id="two-proxies"),
        pytest.param(PROXY, 2, PROXY, CLIENT, PROXY, id="two-proxies-but-one-entry"),
    ],
)  # fmt: skip
def test_the_configured_proxies_and_their_number_decide_which_entry_is_believed(
    settings, proxies, count, peer, forwarded, expected
):
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXIES = [ip_network(proxies)]
    settings.TRUSTED_PROXY_COUNT = count
    assert _client_ip(peer, forwarded) == expected


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        pytest.param(PROXY, f"6.6.6.6, {CLIENT}", CLIENT, id="behind-the-proxy"),
        pytest.param(DIRECT, CLIENT, DIRECT, id="direct-with-a-made-up-header"),
    ],
)
@override_settings(BEHIND_PROXY=True)
def test_a_failed_sign_in_is_logged_and_counted_under_the_same_address(
    audit_lines, db, peer, forwarded, expected
):
    Client().post(
        "/accounts/login/",
        {"username": "sam", "password": "wrong-password"},
        REMOTE_ADDR=peer,
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    [line] = [json.loads(line) for line in audit_lines if '"login_failed"' in line]
    assert line["ip"] == expected
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [expected]


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        pytest.param(
            "DJANGO_TRUSTED_PROXIES",
            "10.0.0.300",
            "DJANGO_TRUSTED_PROXIES must be addresses",
            id="a-typo-in-the-proxies",
        ),
        pytest.param(
            "DJANGO_TRUSTED_PROXY_COUNT",
            "0",
            "DJANGO_TRUSTED_PROXY_COUNT must be a whole number from 1",
            id="no-proxies-counted",
        ),
        pytest.param(
            "DJANGO_TRUSTED_PROXY_COUNT",
            "one",
            "DJANGO_TRUSTED_PROXY_COUNT must be a whole number from 1",
            id="a-count-in-words",
        ),
    ],
)
def test_a_proxy_setting_that_cannot_be_read_stops_start_up(variable, value, message):
    result = manage("check", DJANGO_DEBUG="1", DJANGO_BEHIND_PROXY="1", **{variable: value})
    assert result.returncode != 0
    assert message in result.stderr
