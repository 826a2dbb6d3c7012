"""Ten wrong passwords for one username from one address lock that pair out for 30 minutes."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client

from tests.factories import UserFactory

PASSWORD = "a-test-password"
LOGIN = "/accounts/login/"


@pytest.fixture
def people(db):
    return UserFactory(username="sam"), UserFactory(username="alex")


def _sign_in(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _lock_out_sam(client):
    for _ in range(10):
        _sign_in(client, "sam", "wrong-password")


def test_after_ten_wrong_passwords_the_right_one_is_refused_saying_when_to_retry(people):
    client = Client()
    for attempt in range(9):
        assert _sign_in(client, "sam", "wrong-password").status_code == 200, attempt
    _sign_in(client, "sam", "wrong-password")

    response = _sign_in(client, "sam", PASSWORD)

    assert response.status_code == 429
    text = response.content.decode()
    assert "Signing in is paused" in text
    assert "10 wrong passwords" in text
    assert "Try again in 30 minutes" in text
    assert "Each try before then, even with the right password, starts the wait again" in text
    assert "_auth_user_id" not in client.session


def test_nine_wrong_passwords_do_not_lock_out(people):
    client = Client()
    for _ in range(9):
        _sign_in(client, "sam", "wrong-password")
    assert _sign_in(client, "sam", PASSWORD).status_code == 302


def test_another_username_from_the_same_address_still_signs_in(people):
    _lock_out_sam(Client())
    response = _sign_in(Client(), "alex", PASSWORD)
    assert (response.status_code, response["Location"]) == (302, "/")


def test_the_same_username_from_another_address_still_signs_in(people):
    _lock_out_sam(Client())
    response = _sign_in(Client(), "sam", PASSWORD, address="10.9.9.9")
    assert (response.status_code, response["Location"]) == (302, "/")


def test_the_test_clients_login_without_a_request_is_not_refused(people, client):
    assert client.login(username="sam", password=PASSWORD)


def _minutes_pass(minutes):
    """As if the lock-out's failures had happened `minutes` earlier."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def test_thirty_minutes_without_a_try_end_the_lock_out(people):
    client = Client()
    _lock_out_sam(client)
    _minutes_pass(31)
    assert _sign_in(client, "sam", PASSWORD).status_code == 302


def test_a_try_during_the_lock_out_even_with_the_right_password_starts_the_30_minutes_again(
    people,
):
    client = Client()
    _lock_out_sam(client)
    _minutes_pass(25)
    assert _sign_in(client, "sam", PASSWORD).status_code == 429
    # 35 minutes after the tenth wrong password, but only 10 after the last try.
    _minutes_pass(10)
    assert _sign_in(client, "sam", PASSWORD).status_code == 429


# --- behind the reverse proxy (DJANGO_BEHIND_PROXY=1), the proxy on loopback -----------------
PROXY = "127.0.0.1"


def _sign_in_through(client, forwarded, password="wrong-password", address=PROXY):
    return client.post(
        LOGIN,
        {"username": "sam", "password": password},
        REMOTE_ADDR=address,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_a_client_reaching_gunicorn_directly_cannot_dodge_the_lock_out_by_changing_the_header(
    people, settings
):
    settings.BEHIND_PROXY = True
    client = Client()
    for attempt in range(10):
        _sign_in_through(client, f"203.0.113.{attempt}", address="198.51.100.20")

    response = _sign_in_through(client, "203.0.113.99", PASSWORD, address="198.51.100.20")

    assert response.status_code == 429


def test_behind_the_proxy_each_person_is_counted_by_their_own_address(people, settings):
    settings.BEHIND_PROXY = True
    for _ in range(10):
        _sign_in_through(Client(), "203.0.113.9")

    locked_out = _sign_in_through(Client(), "203.0.113.9", PASSWORD)
    colleague = _sign_in_through(Client(), "203.0.113.10", PASSWORD)

    assert locked_out.status_code == 429
    assert (colleague.status_code, colleague["Location"]) == (302, "/")


def test_behind_the_proxy_forged_entries_before_the_proxys_own_do_not_dodge_the_lock_out(
    people, settings
):
    settings.BEHIND_PROXY = True
    client = Client()
    for attempt in range(10):
        _sign_in_through(client, f"10.{attempt}.0.1, 203.0.113.9")

    response = _sign_in_through(client, "10.99.0.1, 203.0.113.9", PASSWORD)

    assert response.status_code == 429
