"""Single sign-on settings are strict: half a provider stops start-up, naming what is missing."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from opb_portal.settings import SSO_REQUIRED, sso_provider
from tests.processes import manage

PREFIX = "DJANGO_OIDC_COUNCIL_"
ISSUER = "https://login.microsoftonline.com/tenant-id/v2.0"
COMPLETE = {
    "CLIENT_ID": "client-id",
    "CLIENT_SECRET": "client-secret",
    "ISSUER": ISSUER,
    "AUTHORIZATION_ENDPOINT": f"{ISSUER}/authorize",
    "TOKEN_ENDPOINT": f"{ISSUER}/token",
    "USERINFO_ENDPOINT": "https://graph.microsoft.com/oidc/userinfo",
    "JWKS_ENDPOINT": f"{ISSUER}/keys",
    "END_SESSION_ENDPOINT": f"{ISSUER}/logout",
}


@pytest.fixture
def council_env(monkeypatch):
    def set_env(**values):
        for name in [*COMPLETE, "ROLE_CLAIM", "ROLES", "CREATE_USERS", "MFA_AMR", "MFA_ACR"]:
            monkeypatch.delenv(PREFIX + name, raising=False)
        for name, value in values.items():
            monkeypatch.setenv(PREFIX + name, value)

    return set_env


def test_without_a_client_id_there_is_no_provider(council_env):
    council_env()
    assert sso_provider("council") is None


@pytest.mark.parametrize("missing", SSO_REQUIRED)
def test_a_client_id_without_each_endpoint_stops_start_up_naming_it(council_env, missing):
    council_env(**{name: value for name, value in COMPLETE.items() if name != missing})
    with pytest.raises(ImproperlyConfigured, match=f"{PREFIX}{missing} is not"):
        sso_provider("council")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        pytest.param(
            {"ROLE_CLAIM": "groups"},
            "ROLE_CLAIM and .*ROLES are set together",
            id="claim-without-rules",
        ),
        pytest.param(
            {"ROLES": "a=reviewer"},
            "ROLE_CLAIM and .*ROLES are set together",
            id="rules-without-claim",
        ),
        pytest.param(
            {"ROLE_CLAIM": "groups", "ROLES": "reviewer"},
            "claim-value=portal-role",
            id="rule-without-equals",
        ),
        pytest.param({"CREATE_USERS": "True"}, "CREATE_USERS needs", id="creation-without-roles"),
        pytest.param(
            {"CREATE_USERS": "yes"},
            "CREATE_USERS must be True or False",
            id="creation-not-a-boolean",
        ),
    ],
)
def test_a_role_mapping_or_creation_half_set_stops_start_up(council_env, extra, message):
    council_env(**COMPLETE, **extra)
    with pytest.raises(ImproperlyConfigured, match=message):
        sso_provider("council")


def test_a_complete_provider_keeps_its_rules_in_order(council_env):
    council_env(
        **COMPLETE,
        ROLE_CLAIM="roles",
        ROLES="OPB.Admin=administrator, OPB.Review=reviewer",
        MFA_AMR="mfa",
    )
    provider = sso_provider("council")
    assert list(provider["roles"].items()) == [
        ("OPB.Admin", "administrator"),
        ("OPB.Review", "reviewer"),
    ]
    assert (provider["issuer"], provider["mfa_amr"], provider["create_users"]) == (
        ISSUER,
        ["mfa"],
        False,
    )


def test_a_rule_naming_no_portal_role_fails_the_system_check():
    result = manage(
        "check",
        DJANGO_SECRET_KEY="x",
        **{PREFIX + name: value for name, value in COMPLETE.items()},
        DJANGO_OIDC_COUNCIL_ROLE_CLAIM="groups",
        DJANGO_OIDC_COUNCIL_ROLES="OPB=chief",
    )
    assert result.returncode != 0
    assert "maps 'OPB' to 'chief', which is not a portal role" in result.stderr


def test_local_passwords_accept_only_the_two_policies():
    result = manage("check", DJANGO_SECRET_KEY="x", DJANGO_LOCAL_PASSWORDS="nobody")
    assert result.returncode != 0
    assert "DJANGO_LOCAL_PASSWORDS must be everyone or break-glass, not 'nobody'" in result.stderr


def test_every_single_sign_on_variable_is_documented_in_the_operations_guide():
    from pathlib import Path

    from django.conf import settings

    guide = (Path(settings.BASE_DIR) / "docs" / "operations.md").read_text(encoding="utf-8")
    names = [*COMPLETE, "SCOPES", "EMAIL_DOMAINS", "ROLE_CLAIM", "ROLES", "CREATE_USERS"]
    names += ["MFA_AMR", "MFA_ACR"]
    missing = [name for name in names if f"`DJANGO_OIDC_<KIND>_{name}`" not in guide]
    assert not missing
    assert "`DJANGO_LOCAL_PASSWORDS`" in guide
    assert "## Single sign-on" in guide
