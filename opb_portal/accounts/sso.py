"""
Single sign-on: each organisation signs its people in through its own identity provider,
with OpenID Connect (docs/decisions/0005-single-sign-on.md).

mozilla-django-oidc does the protocol's mechanics (the token request, the provider's keys,
userinfo, PKCE and the state kept in the session); this module holds the portal's rules:
one provider per organisation, chosen by the URL it answered on, an ID token checked
in full (signature, issuer, audience, expiry, nonce), the person found by their `sub` at
that organisation, their role taken from a claim where configured, and every refusal a
reason a person can read and the audit log can count.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import absolutify

from . import roles, two_factor
from .models import ExternalIdentity, Organisation, User

#: Session keys: which organisation's provider signed this session in, and whether its
#: token counted as the second factor (two_factor.pending_step reads it).
SSO_ORGANISATION = "opb_sso_organisation"
SECOND_FACTOR_BY = two_factor.SECOND_FACTOR_BY
#: Where mozilla-django-oidc keeps the ID token (OIDC_STORE_ID_TOKEN), for signing out.
ID_TOKEN = "oidc_id_token"
BACKEND = "opb_portal.accounts.sso.OrganisationOIDCBackend"


@dataclass(frozen=True)
class Provider:
    """One organisation's identity provider, as settings.SSO_PROVIDERS describes it."""

    kind: str
    client_id: str
    client_secret: str
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_endpoint: str
    end_session_endpoint: str
    scopes: str
    email_domains: list[str]
    role_claim: str
    roles: dict[str, str]
    create_users: bool
    mfa_amr: list[str]
    mfa_acr: list[str]


def provider_for(kind: str) -> Provider | None:
    config = settings.SSO_PROVIDERS.get(kind)
    return Provider(**config) if config else None


def buttons() -> list[tuple[str, str]]:
    """(organisation name, sign-in URL) for each organisation whose provider is configured."""
    kinds = list(settings.SSO_PROVIDERS)
    if not kinds:
        return []
    return [
        (org.name, reverse("sso_start", kwargs={"kind": org.kind}))
        for org in Organisation.objects.filter(kind__in=kinds).order_by("name")
    ]


class SignInRefused(Exception):
    """A sign-in through a provider refused: what to tell the person, and a reason to audit."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


# --- the rules about a person, from claims already verified ------------------------------


def _claim_values(claims: dict, name: str) -> list[str]:
    value = claims.get(name)
    if value is None:
        return []
    return [str(item) for item in value] if isinstance(value, list | tuple) else [str(value)]


def role_from_claims(*, provider: Provider, claims: dict) -> str:
    """
    The portal role the provider's groups or roles claim maps to; "" (no role) where none
    matches. The first rule in the configuration a person matches wins, so the order of
    DJANGO_OIDC_<KIND>_ROLES is the order of precedence.
    """
    held = set(_claim_values(claims, provider.role_claim))
    return next((role for value, role in provider.roles.items() if value in held), "")


def second_factor_given(*, provider: Provider, claims: dict) -> bool:
    """Does the token say the provider asked for a second factor (amr or acr, as configured)?"""
    amr = set(_claim_values(claims, "amr"))
    if amr & set(provider.mfa_amr):
        return True
    return bool(provider.mfa_acr) and claims.get("acr") in provider.mfa_acr


def _email_trusted(*, provider: Provider, claims: dict) -> bool:
    """May the e-mail claim link an account? Verified, or in the organisation's own domains."""
    email = (claims.get("email") or "").lower()
    if claims.get("email_verified") is True:
        return True
    named = (claims.get("preferred_username") or email).lower()
    return any(named.endswith("@" + domain) for domain in provider.email_domains)


def _refuse_unknown(organisation: Organisation) -> SignInRefused:
    return SignInRefused(
        "unknown",
        f"your {organisation} account is not set up in the OPB portal: ask a portal "
        "administrator to add you.",
    )


def _first_sign_in(*, provider: Provider, organisation: Organisation, claims: dict) -> User:
    """The person a first sign-in is: their account found by e-mail, or one made for them."""
    email = claims.get("email") or ""
    matches = list(User.objects.filter(email__iexact=email)[:2]) if email else []
    if len(matches) > 1:
        raise SignInRefused(
            "ambiguous",
            "more than one portal account has your e-mail address: ask a portal "
            "administrator to sort it out.",
        )
    if matches:
        user = matches[0]
        if user.organisation_id != organisation.pk:
            raise SignInRefused(
                "organisation_mismatch",
                f"your portal account belongs to another organisation, not {organisation}.",
            )
        if not _email_trusted(provider=provider, claims=claims):
            raise SignInRefused(
                "email_not_verified",
                f"{organisation} did not confirm your e-mail address, so it cannot be linked "
                "to your portal account: ask a portal administrator.",
            )
        if ExternalIdentity.objects.filter(user=user, organisation=organisation).exists():
            # The account is linked to somebody else at the provider already.
            raise SignInRefused(
                "already_linked",
                "your portal account is linked to another sign-in at "
                f"{organisation}: ask a portal administrator.",
            )
        return user
    if not provider.create_users:
        raise _refuse_unknown(organisation)
    username = email if email and not User.objects.filter(username=email).exists() else ""
    user = User(
        username=username or f"{provider.kind}-{claims['sub']}"[:150],
        email=email,
        organisation=organisation,
    )
    user.set_unusable_password()
    return user


@transaction.atomic
def person_sign_in(*, provider: Provider, organisation: Organisation, claims: dict) -> User:
    """
    The portal account these verified claims from `organisation`'s provider are.

    Matched by `sub` once linked; the first time, by e-mail within this organisation (or
    made, where the configuration allows). Where a role claim is configured the role is
    set from it at every sign-in, so a change of group at the provider applies at once.
    """
    subject = claims.get("sub")
    if not subject:
        raise SignInRefused("no_subject", "the provider did not say who you are.")
    identity = (
        ExternalIdentity.objects.select_related("user")
        .filter(organisation=organisation, subject=subject)
        .first()
    )
    user = (
        identity.user
        if identity
        else _first_sign_in(provider=provider, organisation=organisation, claims=claims)
    )
    if user.pk and not user.is_active:
        raise SignInRefused("disabled", "your portal account is disabled.")
    if user.organisation_id != organisation.pk:
        raise SignInRefused(
            "organisation_mismatch",
            f"your portal account belongs to another organisation, not {organisation}.",
        )
    if provider.role_claim:
        user.role = role_from_claims(provider=provider, claims=claims)
    user.first_name = (claims.get("given_name") or user.first_name)[:150]
    user.last_name = (claims.get("family_name") or user.last_name)[:150]
    user.full_clean()
    user.save()
    now = timezone.now()
    if identity is None:
        identity = ExternalIdentity(user=user, organisation=organisation, subject=subject)
    identity.last_sign_in_at = now
    identity.full_clean()
    identity.save()
    return user


# --- the protocol ---------------------------------------------------------------------------


class OrganisationOIDCBackend(OIDCAuthenticationBackend):
    """
    mozilla-django-oidc's backend, for one organisation's provider at a time.

    The library reads one provider from global settings in `__init__`; here nothing is read
    until `sign_in` is told which provider answered. `authenticate()` (a username and a
    password, or anything else) is never this backend's business: it answers None.
    """

    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        return None

    def _use(self, provider: Provider) -> None:
        self.provider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = provider.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = provider.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = provider.jwks_endpoint
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret

    def sign_in(
        self, request, *, provider: Provider, code: str, nonce: str, code_verifier: str
    ) -> tuple[dict, str]:
        """Exchange the code; the verified claims (ID token over userinfo) and the ID token."""
        self.request = request
        self._use(provider)
        redirect_uri = absolutify(request, reverse("sso_callback", kwargs={"kind": provider.kind}))
        try:
            tokens = self.get_token(
                {
                    "client_id": provider.client_id,
                    "client_secret": provider.client_secret,
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": redirect_uri,
                    "code_verifier": code_verifier,
                }
            )
        except requests.HTTPError as error:
            raise SignInRefused(
                "code_refused",
                "the provider would not exchange the sign-in code (it may have been used "
                "already, or have expired).",
            ) from error
        except requests.RequestException as error:
            raise _unreachable() from error
        id_token = tokens.get("id_token") or ""
        payload = self.verify_token(id_token, nonce=nonce)
        try:
            userinfo = self.get_userinfo(tokens.get("access_token"), id_token, payload)
        except requests.RequestException as error:
            raise _unreachable() from error
        if userinfo.get("sub", payload["sub"]) != payload["sub"]:
            # OpenID Connect Core 5.3.2: userinfo about somebody else is not to be used.
            raise SignInRefused("userinfo_mismatch", "the provider's answers did not agree.")
        return {**userinfo, **payload}, id_token

    def verify_token(self, token, **kwargs):
        """The ID token's claims, after its key, signature, issuer, audience, times and nonce."""
        try:
            key = self.retrieve_matching_jwk(token)
        except (jwt.DecodeError, KeyError) as error:
            raise _bad_token("malformed", "it was not a readable ID token") from error
        except SuspiciousOperation as error:
            raise _bad_token(
                "unknown_key", "it was signed with a key the provider does not publish"
            ) from error
        except requests.RequestException as error:
            raise _unreachable() from error
        payload = self.get_payload_data(token, key)
        if not kwargs.get("nonce") or payload.get("nonce") != kwargs["nonce"]:
            raise _bad_token("nonce", "it was issued for another sign-in (its nonce did not match)")
        return payload

    def get_payload_data(self, token, key):
        # The library leaves out the audience and the issuer ("verify_aud": False); we do not.
        provider = self.provider
        try:
            algorithm = jwt.get_unverified_header(token).get("alg")
            if algorithm != self.OIDC_RP_SIGN_ALGO:
                raise _bad_token("algorithm", f"it was signed with {algorithm}, not RS256")
            payload = jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=provider.client_id,
                issuer=provider.issuer,
                leeway=settings.OIDC_CLOCK_SKEW,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.InvalidAudienceError as error:
            raise _bad_token("wrong_audience", "it was issued for another application") from error
        except jwt.InvalidIssuerError as error:
            raise _bad_token("wrong_issuer", "it came from another issuer") from error
        except jwt.ExpiredSignatureError as error:
            raise _bad_token("expired", "it had expired") from error
        except jwt.InvalidSignatureError as error:
            raise _bad_token(
                "bad_signature", "its signature did not match the provider's keys"
            ) from error
        except jwt.InvalidTokenError as error:
            raise _bad_token("invalid_token", f"it was not valid ({error})") from error
        audiences = payload["aud"] if isinstance(payload["aud"], list) else [payload["aud"]]
        if len(audiences) > 1 and payload.get("azp") != provider.client_id:
            raise _bad_token("wrong_audience", "it was issued for another application")
        return payload


def _bad_token(reason: str, why: str) -> SignInRefused:
    return SignInRefused(reason, f"the provider's ID token could not be trusted: {why}.")


def _unreachable() -> SignInRefused:
    return SignInRefused(
        "provider_unreachable", "the provider did not answer. Try again in a few minutes."
    )


def end_session_url(request) -> str | None:
    """
    The provider's end-session page for a session it signed in (RP-initiated logout), with
    the ID token as a hint and the portal's sign-in page to come back to; None otherwise.
    """
    provider = provider_for(request.session.get(SSO_ORGANISATION, ""))
    if provider is None:
        return None
    params = {
        "client_id": provider.client_id,
        "post_logout_redirect_uri": absolutify(request, reverse("login")),
    }
    if id_token := request.session.get(ID_TOKEN):
        params["id_token_hint"] = id_token
    return f"{provider.end_session_endpoint}?{urlencode(params)}"


def check_roles(**kwargs):
    """System check: every role a provider's claims map to is one of the portal's roles."""
    from django.core.checks import Error

    known = set(roles.values())
    return [
        Error(
            f"DJANGO_OIDC_{kind.upper()}_ROLES maps {value!r} to {role!r}, which is not a "
            f"portal role (one of {', '.join(sorted(known))}).",
            id="accounts.E001",
        )
        for kind, config in settings.SSO_PROVIDERS.items()
        for value, role in config["roles"].items()
        if role not in known
    ]
