"""Ten wrong passwords for one username from one address lock that pair out for 30 minutes."""

import pytest
from django.test import Client, RequestFactory

from opb_portal.core.auth_backends import client_ip
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


@pytest.mark.parametrize(
    ("behind_proxy", "expected"),
    [
        pytest.param(False, "10.0.0.1", id="direct-the-peer-address"),
        pytest.param(True, "198.51.100.7", id="behind-the-proxy-the-address-it-appended"),
    ],
)
def test_the_address_counted_is_the_one_our_proxy_saw(settings, behind_proxy, expected):
    settings.BEHIND_PROXY = behind_proxy
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7"
    )
    assert client_ip(request) == expected
