"""
Signing in through an organisation's identity provider: a real one (Node's oidc-provider)
on loopback, its pages walked over HTTP, its answers handed to the portal's callback.
"""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from opb_portal.accounts.models import ExternalIdentity, Organisation, Role, User
from opb_portal.accounts.two_factor import Step

from ..factories import UserFactory
from .conftest import PASSWORD, walk_provider


def _signed_in(client) -> User | None:
    pk = client.session.get("_auth_user_id")
    return User.objects.get(pk=pk) if pk else None


def _events(lines, name: str) -> list[dict]:
    return [event for event in map(json.loads, lines) if event["event"] == name]


@pytest.fixture
def council(organisations):
    return organisations["council"]


def _person(organisation, email, **kwargs):
    return UserFactory(email=email, organisation=organisation, **{"role": "", **kwargs})


# --- who lands, with what role -------------------------------------------------------------


@pytest.mark.parametrize(
    ("login", "role"),
    [
        pytest.param("rev.one", Role.REVIEWER, id="reviewers-group-is-a-reviewer"),
        pytest.param("board.one", Role.BOARD_MEMBER, id="board-group-is-a-board-member"),
        pytest.param("stranger", "", id="no-mapped-group-is-no-role"),
    ],
)
def test_a_linked_person_lands_with_the_role_their_group_maps_to(
    client, provider_sign_in, council, login, role
):
    _person(council, f"{login}@sandwell.gov.uk", username=f"portal-{login}", role="administrator")
    response = provider_sign_in(client, login)
    assert (response.status_code, response["Location"]) == (302, "/")
    user = _signed_in(client)
    assert (user.username, user.role) == (f"portal-{login}", role)
    assert ExternalIdentity.objects.get(user=user, organisation=council).subject == login


def test_two_people_in_different_groups_land_with_different_roles(provider_sign_in, council):
    _person(council, "rev.one@sandwell.gov.uk")
    _person(council, "board.one@sandwell.gov.uk")
    first, second = Client(), Client()
    provider_sign_in(first, "rev.one")
    provider_sign_in(second, "board.one")
    assert (_signed_in(first).role, _signed_in(second).role) == (Role.REVIEWER, Role.BOARD_MEMBER)
    # What each role sees: the council reviewer's review queue is not the board member's.
    assert first.get("/accounts/two-factor/").status_code == 200
    assert _signed_in(first).first_name == "Rita"


def test_once_linked_a_person_is_found_by_sub_whatever_their_email_becomes(
    provider_sign_in, council
):
    person = _person(council, "rev.one@sandwell.gov.uk")
    provider_sign_in(Client(), "rev.one")
    User.objects.filter(pk=person.pk).update(email="changed@elsewhere.example")
    client = Client()
    provider_sign_in(client, "rev.one")
    assert _signed_in(client) == person


@pytest.mark.parametrize(
    ("create_users", "made"),
    [
        pytest.param(True, True, id="creation-on-makes-the-account"),
        pytest.param(False, False, id="creation-off-refuses"),
    ],
)
def test_a_person_without_an_account_is_made_one_only_where_the_configuration_allows(
    client, oidc_provider, provider_sign_in, settings, council, create_users, made
):
    settings.SSO_PROVIDERS["council"]["create_users"] = create_users
    response = provider_sign_in(client, "board.one")
    user = User.objects.filter(email="board.one@sandwell.gov.uk").first()
    assert (user is not None) == made
    if made:
        assert response.status_code == 302
        assert (user.organisation, user.role, user.has_usable_password()) == (
            council,
            Role.BOARD_MEMBER,
            False,
        )
    else:
        assert response.status_code == 403
        assert "is not set up in the OPB portal" in response.content.decode()
        assert _signed_in(client) is None


# --- refusals: a clear page, a login_failed line, nobody signed in ---------------------------


@pytest.mark.parametrize(
    ("mode", "reason", "says"),
    [
        pytest.param(
            "wrong_audience",
            "wrong_audience",
            "issued for another application",
            id="wrong-audience",
        ),
        pytest.param(
            "bad_signature", "bad_signature", "signature did not match", id="bad-signature"
        ),
        pytest.param("expired", "expired", "it had expired", id="expired-token"),
        pytest.param("wrong_issuer", "wrong_issuer", "came from another issuer", id="wrong-issuer"),
        pytest.param("replay", "nonce", "its nonce did not match", id="replayed-nonce"),
    ],
)
def test_a_spoiled_id_token_is_refused_with_a_clear_page(
    client, oidc_provider, provider_sign_in, council, audit_lines, mode, reason, says
):
    _person(council, "rev.one@sandwell.gov.uk")
    # A sign-in before, so the provider has an earlier ID token to replay.
    provider_sign_in(Client(), "rev.one")
    oidc_provider.spoil_id_tokens(mode)
    response = provider_sign_in(client, "rev.one")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Sign-in through Sandwell Council was refused" in page
    assert says in page
    assert _signed_in(client) is None
    (failed,) = _events(audit_lines, "login_failed")
    assert (failed["via"], failed["reason"]) == ("sso:council", reason)


@pytest.mark.parametrize(
    "same_browser",
    [
        pytest.param(True, id="replayed-in-the-same-browser"),
        pytest.param(False, id="replayed-in-another-browser"),
    ],
)
def test_a_replayed_state_is_refused(provider_sign_in, council, audit_lines, same_browser):
    _person(council, "rev.one@sandwell.gov.uk")
    first = Client()
    start = first.get("/accounts/sso/council/")
    callback = walk_provider(start["Location"], login="rev.one", password=PASSWORD)
    assert first.get(callback).status_code == 302
    again = first if same_browser else Client()
    response = again.get(callback)
    assert response.status_code == 403
    assert "did not belong to a sign-in started in this browser" in response.content.decode()
    assert _events(audit_lines, "login_failed")[-1]["reason"] == "state"


@pytest.mark.parametrize(
    ("login", "home", "reason", "says"),
    [
        pytest.param(
            "board.one",
            "trust",
            "organisation_mismatch",
            "belongs to another organisation",
            id="other-organisation",
        ),
        pytest.param(
            "stranger", None, "unknown", "is not set up in the OPB portal", id="unknown-person"
        ),
        pytest.param(
            "unverified",
            "council",
            "email_not_verified",
            "did not confirm your e-mail",
            id="unverified-email",
        ),
    ],
)
def test_a_person_the_portal_cannot_match_is_refused(
    client, provider_sign_in, organisations, audit_lines, login, home, reason, says
):
    email = f"{login}@sandwell.gov.uk" if login != "unverified" else "unverified@example.org"
    if home:
        _person(organisations[home], email)
    response = provider_sign_in(client, login)
    assert response.status_code == 403
    assert says in response.content.decode()
    assert _signed_in(client) is None
    assert not ExternalIdentity.objects.exists()
    assert _events(audit_lines, "login_failed")[-1]["reason"] == reason


def test_the_provider_saying_no_is_refused_with_its_words(client, oidc_provider, council):
    start = client.get("/accounts/sso/council/")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    response = client.get(
        "/accounts/sso/council/callback/",
        {"state": state, "error": "access_denied", "error_description": "<b>No</b> thanks"},
    )
    assert response.status_code == 403
    # Person-written text from elsewhere is data: escaped, never markup.
    assert "the provider said: &lt;b&gt;No&lt;/b&gt; thanks" in response.content.decode()


# --- two-factor: the provider's, where its token says so -----------------------------------


@pytest.mark.parametrize(
    ("login", "owes"),
    [
        pytest.param("rev.one", None, id="amr-mfa-counts-as-the-second-factor"),
        pytest.param("rev.nomfa", Step.ENROL, id="password-only-asks-for-the-portals-own"),
    ],
)
def test_the_providers_mfa_is_the_second_factor_only_when_the_token_says_so(
    client, provider_sign_in, council, settings, login, owes
):
    settings.REQUIRE_TWO_FACTOR = True
    _person(council, f"{login}@sandwell.gov.uk")
    provider_sign_in(client, login)
    assert _signed_in(client).role == Role.REVIEWER
    response = client.get("/")
    if owes is None:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/two-factor/set-up/")


# --- the sign-in page and signing out -----------------------------------------------------


def test_the_sign_in_page_names_each_configured_organisation(client, oidc_provider):
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with your Sandwell Council account" in page
    assert "Sign in with your Sandwell Children&#x27;s Trust account" in page


def test_without_a_provider_there_are_no_buttons_and_no_sso_pages(client, settings, organisations):
    settings.SSO_PROVIDERS = {}
    assert "Sign in with your" not in client.get("/accounts/login/").content.decode()
    assert client.get("/accounts/sso/council/").status_code == 404
    assert client.get("/accounts/sso/council/callback/?state=x&code=y").status_code == 404


def test_the_start_asks_for_the_code_flow_with_pkce_state_and_nonce(client, oidc_provider):
    location = client.get("/accounts/sso/council/")["Location"]
    query = parse_qs(urlsplit(location).query)
    assert location.startswith(f"{oidc_provider.issuer}/auth?")
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert {"state", "nonce", "code_challenge"} <= query.keys()
    assert query["redirect_uri"] == ["http://testserver/accounts/sso/council/callback/"]


def test_signing_out_ends_the_providers_session_too(client, provider_sign_in, council):
    _person(council, "rev.one@sandwell.gov.uk")
    provider_sign_in(client, "rev.one")
    id_token = client.session["oidc_id_token"]
    response = client.post("/accounts/logout/")
    location = urlsplit(response["Location"])
    query = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}".endswith("/session/end")
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/accounts/login/"]
    assert _signed_in(client) is None


def test_a_sign_in_through_a_provider_is_audited_with_its_organisation(
    client, provider_sign_in, council, audit_lines
):
    _person(council, "rev.one@sandwell.gov.uk", username="rita")
    provider_sign_in(client, "rev.one")
    (login,) = _events(audit_lines, "login")
    assert (login["user"], login["via"]) == ("rita", "sso:council")


def test_the_organisation_comes_from_the_provider_that_answered(
    client, provider_sign_in, organisations
):
    # The same sub from the Trust's provider is somebody else: never the council's person.
    _person(organisations["council"], "rev.one@sandwell.gov.uk")
    provider_sign_in(Client(), "rev.one", kind="council")
    response = provider_sign_in(client, "rev.one", kind="trust")
    assert response.status_code == 403
    assert not ExternalIdentity.objects.filter(organisation__kind=Organisation.Kind.TRUST).exists()
