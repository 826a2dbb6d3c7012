"""
A real OpenID Connect provider on loopback for the single sign-on tests: Node's certified
`oidc-provider` (tests/sso/provider/), started per test with a throwaway configuration
and stopped after it. `npm ci` runs first where node_modules is missing.
"""

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from opb_portal.accounts.models import Organisation

from ..factories import OrganisationFactory

PROVIDER_DIR = Path(__file__).resolve().parent / "provider"
KINDS = ("council", "trust")
PASSWORD = "provider-test-password"

#: The people the provider knows: their groups (mapped to portal roles by the settings
#: below) and how they signed in there (`amr`: "mfa" counts as the second factor).
ACCOUNTS = {
    "rev.one": {
        "email": "rev.one@sandwell.gov.uk",
        "email_verified": True,
        "given_name": "Rita",
        "family_name": "Reviewer",
        "groups": ["OPB-Reviewers"],
        "amr": ["pwd", "mfa"],
    },
    "board.one": {
        "email": "board.one@sandwell.gov.uk",
        "email_verified": True,
        "given_name": "Bob",
        "family_name": "Board",
        "groups": ["OPB-Board", "All-Staff"],
        "amr": ["pwd", "mfa"],
    },
    "rev.nomfa": {
        "email": "rev.nomfa@sandwell.gov.uk",
        "email_verified": True,
        "groups": ["OPB-Reviewers"],
        "amr": ["pwd"],
    },
    "stranger": {
        "email": "stranger@sandwell.gov.uk",
        "email_verified": True,
        "groups": ["All-Staff"],
        "amr": ["pwd", "mfa"],
    },
    "unverified": {
        "email": "unverified@example.org",
        "email_verified": False,
        "groups": ["OPB-Board"],
        "amr": ["pwd", "mfa"],
    },
}


def _npm_ci() -> None:
    for tool in ("node", "npm"):
        assert shutil.which(tool), f"{tool} is missing: run `make system-tools` (a real provider)"
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR, check=True, timeout=300
        )


@dataclass
class OidcProvider:
    issuer: str
    process: subprocess.Popen
    secrets: dict = field(default_factory=dict)

    def settings_for(self, kind: str, **overrides) -> dict:
        """The SSO_PROVIDERS entry for `kind`, as settings.sso_provider builds it."""
        return {
            "kind": kind,
            "client_id": f"opb-{kind}",
            "client_secret": self.secrets[kind],
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/auth",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/me",
            "jwks_endpoint": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/session/end",
            "scopes": "openid email profile",
            "email_domains": [],
            "role_claim": "groups",
            "roles": {"OPB-Reviewers": "reviewer", "OPB-Board": "board_member"},
            "create_users": False,
            "mfa_amr": ["mfa"],
            "mfa_acr": [],
            **overrides,
        }

    def spoil_id_tokens(self, mode: str) -> None:
        """The test-only switch: the token endpoint's next ID tokens are spoiled this way."""
        response = requests.post(f"{self.issuer}/__test__/id-token", json={"mode": mode}, timeout=5)
        assert response.status_code == 204


def start_provider(base_urls: list[str]) -> OidcProvider:
    """A provider with one client per organisation, redirecting to the portal at `base_urls`."""
    _npm_ci()
    secrets = {kind: f"secret-{kind}-{os.urandom(8).hex()}" for kind in KINDS}
    config = {
        "port": 0,
        "clients": [
            {
                "client_id": f"opb-{kind}",
                "client_secret": secrets[kind],
                "client_name": f"OPB portal ({kind})",
                "redirect_uris": [f"{base}/accounts/sso/{kind}/callback/" for base in base_urls],
                "post_logout_redirect_uris": [f"{base}/accounts/login/" for base in base_urls],
            }
            for kind in KINDS
        ],
        "accounts": {login: {"password": PASSWORD, **claims} for login, claims in ACCOUNTS.items()},
    }
    process = subprocess.Popen(
        ["node", "provider.mjs"],
        cwd=PROVIDER_DIR,
        env={**os.environ, "OPB_OIDC_CONFIG": json.dumps(config)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = process.stdout.readline()
    assert line.startswith("listening "), f"the test provider did not start: {line!r}"
    return OidcProvider(issuer=line.split()[1], process=process, secrets=secrets)


def stop_provider(provider: OidcProvider) -> None:
    provider.process.terminate()
    provider.process.wait(timeout=10)


@pytest.fixture
def organisations(db):
    return {kind: OrganisationFactory(kind=kind) for kind in Organisation.Kind.values}


@pytest.fixture
def oidc_provider(settings, organisations):
    """A real provider for the Django test client (http://testserver), both organisations on."""
    provider = start_provider(["http://testserver"])
    settings.SSO_PROVIDERS = {kind: provider.settings_for(kind) for kind in KINDS}
    yield provider
    stop_provider(provider)


@pytest.fixture
def provider_sign_in(oidc_provider):
    """
    `provider_sign_in(client, "rev.one")`: start at the portal's button, sign in on the
    provider's own page (over HTTP, as a browser would), and hand its answer to the portal.
    Returns the portal's response to the callback.
    """

    def sign_in(client, login: str, *, kind: str = "council", password: str = PASSWORD):
        start = client.get(f"/accounts/sso/{kind}/")
        assert start.status_code == 302, start
        callback = walk_provider(start["Location"], login=login, password=password)
        return client.get(callback)

    return sign_in


def walk_provider(url: str, *, login: str, password: str) -> str:
    """Follow the provider's pages (typing the credentials once) to the portal's callback URL."""
    browser = requests.Session()
    typed = False
    for _ in range(10):
        if urlsplit(url).netloc == "testserver":
            parts = urlsplit(url)
            return f"{parts.path}?{parts.query}"
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code == 200 and 'name="login"' in response.text and not typed:
            typed = True
            response = browser.post(
                url, data={"login": login, "password": password}, allow_redirects=False, timeout=10
            )
        assert response.status_code in (302, 303), (response.status_code, response.text[:500])
        url = urljoin(url, response.headers["Location"])
    raise AssertionError("the provider never sent the person back to the portal")
