"""Sessions end: after 30 idle minutes, 12 hours after signing in, on sign-out, when disabled."""

import time

import pytest
from django.conf import settings

from opb_portal.core.middleware import SIGNED_IN_AT

PAGE = "/kpis/years/"
TO_LOGIN = "/accounts/login/?next=/kpis/years/"


@pytest.fixture
def signed_in(client, demo, reviewer):
    client.force_login(reviewer)
    return client


def _signed_in_hours_ago(client, hours: float) -> None:
    session = client.session
    session[SIGNED_IN_AT] = int(time.time() - hours * 3600)
    session.save()


def test_an_idle_session_lasts_30_minutes_and_each_request_renews_it():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_ABSOLUTE_AGE == 12 * 60 * 60


def test_each_request_pushes_the_idle_expiry_back(signed_in, settings):
    settings.SESSION_SAVE_EVERY_REQUEST = True
    response = signed_in.get(PAGE)
    assert response.status_code == 200
    assert response.cookies["sessionid"]["max-age"] == 1800


def test_signing_in_starts_the_12_hour_clock(signed_in):
    assert abs(signed_in.session[SIGNED_IN_AT] - time.time()) < 60


def test_a_session_signed_in_11_hours_ago_still_works(signed_in):
    _signed_in_hours_ago(signed_in, 11)
    assert signed_in.get(PAGE).status_code == 200


def test_a_session_signed_in_13_hours_ago_is_sent_to_sign_in_again(signed_in):
    _signed_in_hours_ago(signed_in, 13)
    response = signed_in.get(PAGE)
    assert (response.status_code, response["Location"]) == (302, TO_LOGIN)
    # Signed out for good, not only for that request.
    assert signed_in.get(PAGE)["Location"] == TO_LOGIN


def test_a_disabled_persons_open_session_is_refused_on_the_next_request(signed_in, reviewer):
    assert signed_in.get(PAGE).status_code == 200
    reviewer.is_active = False
    reviewer.save(update_fields=["is_active"])
    response = signed_in.get(PAGE)
    assert (response.status_code, response["Location"]) == (302, TO_LOGIN)


def test_signing_out_destroys_the_session_on_the_server(signed_in):
    from django.contrib.sessions.models import Session

    key = signed_in.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    signed_in.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    assert signed_in.get(PAGE)["Location"] == TO_LOGIN
