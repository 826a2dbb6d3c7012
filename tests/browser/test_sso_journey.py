"""
Two council officers sign in through the council's identity provider — a real OpenID
Connect provider (Node's oidc-provider) on loopback — and land with the role their group
maps to; one signs out, which ends the provider's session too and comes back to the
portal's sign-in page. The portal's own Content-Security-Policy is in force throughout
(no bypass, so axe-core runs on the refusal page only): the sign-out's redirect to the
provider must be allowed by form-action.
"""

import pytest

from opb_portal.accounts.models import Organisation, User

from ..sso.conftest import PASSWORD, start_provider, stop_provider
from .conftest import check_page, shot

pytestmark = pytest.mark.browser


@pytest.fixture
def council_provider(live_server, settings, demo):
    provider = start_provider([live_server.url])
    settings.SSO_PROVIDERS = {"council": provider.settings_for("council")}
    policy = settings.CONTENT_SECURITY_POLICY
    directives = {**policy["DIRECTIVES"]}
    directives["form-action"] = [*directives["form-action"], provider.issuer]
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
    council = Organisation.objects.get(kind=Organisation.Kind.COUNCIL)
    for username, email in [
        ("rita", "rev.one@sandwell.gov.uk"),
        ("bob", "board.one@sandwell.gov.uk"),
    ]:
        User.objects.create_user(username, email=email, organisation=council)
    yield provider
    stop_provider(provider)


def _sign_in_through_the_council(browser, live_server, login: str):
    from playwright.sync_api import expect

    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    button = page.get_by_role("link", name="Sign in with your Sandwell Council account")
    expect(button).to_be_visible()
    shot(page, "sso-sign-in-page")
    button.click()
    # The provider's own page, on its own origin.
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to the test provider")
    page.get_by_label("Username").fill(login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_council_officers_sign_in_through_their_provider_with_their_groups_roles_and_sign_out(
    browser, live_server, council_provider, settings
):
    from playwright.sync_api import expect

    settings.REQUIRE_TWO_FACTOR = True
    reviewer = _sign_in_through_the_council(browser, live_server, "rev.one")
    # The provider's MFA counted: no portal code asked of a reviewer, straight home.
    expect(reviewer.get_by_text("Rita Reviewer · Council reviewer")).to_be_visible()
    shot(reviewer, "sso-reviewer-home")

    board = _sign_in_through_the_council(browser, live_server, "board.one")
    expect(board.get_by_text("Bob Board · Board member")).to_be_visible()
    # What a board member does not see, the reviewer does: the review work on the home page.
    assert User.objects.get(username="bob").role == "board_member"

    reviewer.get_by_role("button", name="Sign out").click()
    # RP-initiated logout: the provider asks, then sends the person back to the sign-in page.
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("Sign out of the test provider")
    assert reviewer.url.startswith(f"{council_provider.issuer}/session/end")
    reviewer.get_by_role("button", name="Yes, sign me out").click()
    reviewer.wait_for_url(f"{live_server.url}/accounts/login/")
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("Sign in")
    shot(reviewer, "sso-signed-out")
    # Signed out here too: the home page asks for a sign-in again.
    reviewer.goto(f"{live_server.url}/")
    assert "/accounts/login/" in reviewer.url


def test_a_refused_sign_in_lands_on_a_clear_page(browser, live_server, council_provider):
    from playwright.sync_api import expect

    council_provider.spoil_id_tokens("wrong_audience")
    # axe-core is injected as an inline script: this page alone lets it through.
    page = browser.new_context(bypass_csp=True).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Sign in with your Sandwell Council account").click()
    page.get_by_label("Username").fill("rev.one")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Sign-in through Sandwell Council was refused: the provider's ID token could not be "
        "trusted: it was issued for another application."
    )
    check_page(page, "sso-refused")
