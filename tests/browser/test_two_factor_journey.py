"""
A council reviewer where two-factor sign-in is required: signs in with the password, is
held on the set-up page, types the enrolment code an administrator gave them, adds the key
to an app (here: the test works the codes out from the key the page shows), keeps the
recovery codes, reaches the scorecard; next time gives the app's code after the password.
Every page is checked with axe-core.
"""

import base64

import pytest
from django_otp.oath import totp

from opb_portal.accounts.demo import DEMO_PASSWORD
from opb_portal.accounts.models import User
from opb_portal.accounts.two_factor import enrolment_code_issue

from .conftest import check_page

pytestmark = pytest.mark.browser


def _code(key: bytes, *, steps_ahead: int = 0) -> str:
    return f"{totp(key, t0=-30 * steps_ahead):06d}"


def test_a_reviewer_sets_up_two_factor_sign_in_then_signs_in_with_a_code(
    sign_in, browser, live_server, settings
):
    from playwright.sync_api import expect

    settings.REQUIRE_TWO_FACTOR = True
    # Given in person by the demo administrator, as `manage.py enrolment_code reviewer` would.
    enrolment_code = enrolment_code_issue(
        user=User.objects.get(username="reviewer"), issued_by=User.objects.get(username="admin")
    )
    page = sign_in("reviewer", form=True)

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    assert "/accounts/two-factor/set-up/" in page.url
    check_page(page, "two-factor-1-set-up")
    key = base64.b32decode(page.locator("#two-factor-key").inner_text().replace(" ", ""))

    page.get_by_label("Enrolment code from an administrator").fill(enrolment_code)
    field = page.get_by_label("Code from your authenticator app")
    field.fill("000000" if _code(key) != "000000" else "111111")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_text("That code is not right")).to_be_visible()
    check_page(page, "two-factor-2-wrong-code")

    # django-otp waits a second after a wrong code before it checks another.
    page.wait_for_timeout(1100)
    page.get_by_label("Enrolment code from an administrator").fill(enrolment_code)
    page.get_by_label("Code from your authenticator app").fill(_code(key))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")
    assert (
        page.get_by_role("list", name="Your recovery codes").get_by_role("listitem").count() == 10
    )
    check_page(page, "two-factor-3-recovery-codes")
    page.get_by_role("link", name="I have kept them: continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Home")

    # Another day: the password, then the code (the next one the app shows).
    again = browser.new_context(bypass_csp=True).new_page()
    again.goto(f"{live_server.url}/kpis/years/")
    again.get_by_label("Username").fill("reviewer")
    again.get_by_label("Password").fill(DEMO_PASSWORD)
    again.get_by_role("button", name="Sign in").click()
    expect(again.get_by_role("heading", level=1)).to_have_text("Enter your code")
    check_page(again, "two-factor-4-code")
    again.get_by_label("Code from your authenticator app").fill(_code(key, steps_ahead=1))
    again.get_by_role("button", name="Continue").click()
    expect(again.get_by_role("heading", level=1)).to_contain_text("2024-25")
    assert again.url == f"{live_server.url}/kpis/years/"
