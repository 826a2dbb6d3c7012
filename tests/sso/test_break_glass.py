"""Where single sign-on is required, a portal password opens the portal to break-glass accounts."""

import json

import pytest
from django.test import Client

from opb_portal.accounts.models import Role

from ..factories import UserFactory

PASSWORD = "a-test-password"


@pytest.fixture
def break_glass_only(settings):
    settings.LOCAL_PASSWORDS = "break-glass"


def _sign_in(username):
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    return client, response


def test_a_normal_person_with_the_right_password_is_refused_and_told_to_use_their_organisation(
    db, break_glass_only, audit_lines
):
    UserFactory(username="bob", role=Role.BOARD_MEMBER)
    client, response = _sign_in("bob")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Portal passwords are turned off: sign in with your organisation" in page
    assert "_auth_user_id" not in client.session
    failed = [json.loads(line) for line in audit_lines if '"login_failed"' in line]
    assert failed[-1]["reason"] == "local_passwords_off"


def test_a_break_glass_administrator_signs_in_and_must_set_up_a_second_factor(
    db, break_glass_only, settings
):
    # Even where the deployment leaves two-factor to the providers, break-glass needs it.
    settings.REQUIRE_TWO_FACTOR = False
    UserFactory(username="ada", role=Role.ADMINISTRATOR, break_glass=True)
    client, response = _sign_in("ada")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    home = client.get("/")
    assert home["Location"].startswith("/accounts/two-factor/set-up/")


@pytest.mark.parametrize(
    "break_glass",
    [pytest.param(True, id="break-glass"), pytest.param(False, id="everyone-else")],
)
def test_with_passwords_for_everyone_both_sign_in_as_before(db, break_glass):
    UserFactory(username="pat", role=Role.BOARD_MEMBER, break_glass=break_glass)
    client, response = _sign_in("pat")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_the_sign_in_page_says_who_the_password_form_is_for(client, db, settings, break_glass_only):
    from tests.factories import OrganisationFactory

    OrganisationFactory(kind="council")
    settings.SSO_PROVIDERS = {"council": {"kind": "council"}}
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with your Sandwell Council account" in page
    assert "Break-glass administrators only" in page
