"""
Settings for the OPB portal: one module, read from the environment.

Every value that changes between a laptop and production comes from an
environment variable, parsed strictly: a typo in a boolean stops start-up
rather than silently meaning "off".
"""

import os
from datetime import timedelta
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    """Read a boolean; anything but True/False/1/0 (or empty) is refused."""
    value = os.environ.get(name, "") or default
    if value in ("True", "true", "1"):
        return True
    if value in ("False", "false", "0"):
        return False
    raise ImproperlyConfigured(f"{name} must be True or False (or 1 or 0), not {value!r}")


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envint(name: str, default: str, *, minimum: int) -> int:
    """Read a whole number no smaller than `minimum`; anything else is refused."""
    value = os.environ.get(name, "") or default
    if not value.isdigit() or int(value) < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number from {minimum}, not {value!r}")
    return int(value)


def envnetworks(name: str, default: str) -> list[IPv4Network | IPv6Network]:
    """Read addresses or networks (10.0.0.5, 10.0.0.0/24, ::1); a typo stops start-up."""
    try:
        return [ip_network(item, strict=False) for item in envlist(name, default)]
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be addresses or networks: {error}") from None


DEBUG = envbool("DJANGO_DEBUG", "False")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string, "
            "or set DJANGO_DEBUG=1 to run locally with a development key."
        )
    SECRET_KEY = "development-only-key-never-use-in-production"

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

INSTALLED_APPS = [
    "opb_portal.core.admin_apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    # Two-factor sign-in: one-time passwords from an app (TOTP) and single-use recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "opb_portal.accounts",
    "opb_portal.core",
    "opb_portal.submissions",
    "opb_portal.boardpack",
    "opb_portal.outbox",
    # Work off the request (packs, documents, imports): Celery, or in-process with no broker.
    "opb_portal.jobs",
    # Reference data every domain may use (units, polarity, the child population).
    "opb_portal.reference",
    # Comparator figures every domain benchmarks against, by code (below the domains).
    "opb_portal.comparators",
    # Reports to Scrutiny and Cabinet: layouts as data, figures from the domains' facts.
    "opb_portal.reports",
    "kpis",
    "finance",
    "workforce",
    "demand",
    # Accountability: meetings, exception reports, actions, decisions, changes, risks.
    "governance",
    # Ofsted's published outcomes: inspections and visits of every authority.
    "inspections",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, before sessions and the login check.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which second factor, if any, this session has given (request.user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    "opb_portal.accounts.middleware.ApiTokenMiddleware",
    # Before the login check: a session past its 12 hours is signed out, then sent to sign in.
    "opb_portal.core.middleware.AbsoluteSessionTimeoutMiddleware",
    "opb_portal.core.middleware.NoStoreMiddleware",
    "opb_portal.core.middleware.RefusalAuditMiddleware",
    "opb_portal.core.middleware.DatabaseUnavailableMiddleware",
    # In debug (make demo), the portal's own error pages; tracebacks go to the console only.
    "opb_portal.core.middleware.ErrorPagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Signed in with a password only: on to the second factor, or to set one up.
    "opb_portal.accounts.middleware.TwoFactorMiddleware",
    # Innermost but one: which database a read-only page reads from (the replica, if any).
    "opb_portal.core.db_router.ReplicaReadMiddleware",
    # Last, as django-axes requires: turns a lock-out into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "opb_portal.urls"
WSGI_APPLICATION = "opb_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "opb_portal.accounts.context_processors.permissions",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'opb.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# A streaming replica (docs/operations.md, "Scale-out"): the read-only pages read from it
# (opb_portal.core.db_router); unset, there is one database and no router has any effect.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
    )
    # The replica is never written, and a test run never creates a database on it.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["opb_portal.core.db_router.ReplicaRouter"]
# Seconds after a person's own write (any POST that succeeded) during which their reads
# stay on the primary, so that they see what they have just done despite replication lag.
READ_YOUR_WRITES_SECONDS = envint("DJANGO_READ_YOUR_WRITES_SECONDS", "10", minimum=0)
# Sessions in the database every app server reaches (Django's default, said out loud):
# a person's next request may land on another instance behind the load balancer.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes watches sign-ins first; the model backend then signs the person in.
AUTHENTICATION_BACKENDS = [
    "opb_portal.core.auth_backends.PortalAxesBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on (opb_portal.accounts.sso): signs in only from its own callback view,
    # never for a username and password; listed so a session it started is recognised.
    "opb_portal.accounts.sso.OrganisationOIDCBackend",
]
# Ten wrong passwords for one username from one address lock that pair out for
# 30 minutes; the same person from elsewhere, or others from the same office, still sign in.
AXES_ENABLED = True
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# django-axes' default, said out loud: every try during a lock-out, even with the right
# password, starts the 30 minutes again, so a script that keeps guessing never gets another
# guess; the lock-out page says so. tests/security/test_lockout.py pins it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
# The lock-out, the audit log and everything else know a client by one function's answer.
AXES_CLIENT_IP_CALLABLE = "opb_portal.core.auth_backends.client_ip"
# Behind the reverse proxy the peer is the proxy: X-Forwarded-For is read only from a request
# whose peer is one of TRUSTED_PROXIES, and of it only the entry our proxies appended (the
# TRUSTED_PROXY_COUNT-th from the right) is believed. A client that reaches gunicorn directly
# is known by its own address whatever header it sends. docs/operations.md.
BEHIND_PROXY = envbool("DJANGO_BEHIND_PROXY", "False")
TRUSTED_PROXIES = envnetworks("DJANGO_TRUSTED_PROXIES", "127.0.0.1,::1")
TRUSTED_PROXY_COUNT = envint("DJANGO_TRUSTED_PROXY_COUNT", "1", minimum=1)

# --- two-factor sign-in (opb_portal.accounts.two_factor, docs/security.md) ---------------
# Administrators and council reviewers must use a second factor; `make demo` turns this off.
# Anyone who has set one up is asked for it whatever this says.
REQUIRE_TWO_FACTOR = envbool("DJANGO_REQUIRE_TWO_FACTOR", "True")
# The name authenticator apps show beside the code.
OTP_TOTP_ISSUER = "OPB portal"
# Keys and QR codes of people's authenticators never show in the admin.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- single sign-on through each organisation's identity provider ----------------------
# OpenID Connect, one client per organisation (docs/decisions/0005-single-sign-on.md,
# docs/operations.md "Single sign-on"). The kinds are Organisation.Kind's values, spelled
# here because settings cannot import models.
SSO_KINDS = ("council", "trust")
#: Every endpoint a provider needs once its client id is set: one missing stops start-up.
SSO_REQUIRED = (
    "CLIENT_SECRET",
    "ISSUER",
    "AUTHORIZATION_ENDPOINT",
    "TOKEN_ENDPOINT",
    "USERINFO_ENDPOINT",
    "JWKS_ENDPOINT",
    "END_SESSION_ENDPOINT",
)


def envroles(name: str) -> dict[str, str]:
    """Read "claim-value=portal-role,..." in order (the first rule a person matches wins)."""
    rules: dict[str, str] = {}
    for item in envlist(name, ""):
        claim, sep, role = (part.strip() for part in item.partition("="))
        if not sep or not claim or not role:
            raise ImproperlyConfigured(
                f"{name} must be claim-value=portal-role pairs separated by commas, not {item!r}"
            )
        rules[claim] = role
    return rules


def sso_provider(kind: str) -> dict | None:
    """One organisation's provider from DJANGO_OIDC_<KIND>_*; None when its client id is unset."""
    prefix = f"DJANGO_OIDC_{kind.upper()}_"
    client_id = os.environ.get(prefix + "CLIENT_ID", "")
    if not client_id:
        return None
    for missing in (name for name in SSO_REQUIRED if not os.environ.get(prefix + name)):
        raise ImproperlyConfigured(
            f"{prefix}CLIENT_ID is set but {prefix}{missing} is not: single sign-on for "
            f"the {kind} needs every endpoint (docs/operations.md, Single sign-on)."
        )
    role_claim = os.environ.get(prefix + "ROLE_CLAIM", "")
    roles = envroles(prefix + "ROLES")
    if bool(role_claim) != bool(roles):
        raise ImproperlyConfigured(
            f"{prefix}ROLE_CLAIM and {prefix}ROLES are set together or not at all."
        )
    create_users = envbool(prefix + "CREATE_USERS", "False")
    if create_users and not role_claim:
        raise ImproperlyConfigured(
            f"{prefix}CREATE_USERS needs {prefix}ROLE_CLAIM and {prefix}ROLES: an account "
            "made at first sign-in takes its role from the token, or it would have none."
        )
    return {
        "kind": kind,
        "client_id": client_id,
        **{name.lower(): os.environ[prefix + name] for name in SSO_REQUIRED},
        "scopes": os.environ.get(prefix + "SCOPES", "") or "openid email profile",
        "email_domains": [domain.lower() for domain in envlist(prefix + "EMAIL_DOMAINS", "")],
        "role_claim": role_claim,
        "roles": roles,
        "create_users": create_users,
        "mfa_amr": envlist(prefix + "MFA_AMR", ""),
        "mfa_acr": envlist(prefix + "MFA_ACR", ""),
    }


SSO_PROVIDERS = {kind: p for kind in SSO_KINDS if (p := sso_provider(kind)) is not None}
# mozilla-django-oidc's own settings, the same for every provider: ID tokens signed RS256 and
# checked against the provider's published keys, PKCE, state and nonce, the ID token kept
# for signing out of the provider too, no account made by the library itself.
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = 10
#: Seconds of clock difference between the provider and us allowed on exp, iat and nbf.
OIDC_CLOCK_SKEW = 60

#: Who may sign in with a portal password: "everyone" (the demo, an organisation not yet on
#: single sign-on) or "break-glass" (only accounts marked break-glass, with two-factor).
LOCAL_PASSWORDS = os.environ.get("DJANGO_LOCAL_PASSWORDS", "") or "everyone"
if LOCAL_PASSWORDS not in ("everyone", "break-glass"):
    raise ImproperlyConfigured(
        f"DJANGO_LOCAL_PASSWORDS must be everyone or break-glass, not {LOCAL_PASSWORDS!r}"
    )

# --- sessions: 30 minutes idle, 12 hours at most (opb_portal.core.middleware) ---------
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_AGE = 12 * 60 * 60

# --- transport and browser protections (`make check-deploy`) -------------------------
# Over plain http in debug mode (make demo) a Secure cookie would never come back.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# The CSRF token is read from the form, never from the cookie by script.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", "False" if DEBUG else "True")
# The load balancer probes the backend over plain http: a 301 there would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^(healthz|livez|readyz)$"]
if BEHIND_PROXY:
    # The proxy terminates TLS and says so; it must strip this header from clients.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 0 if DEBUG else 365 * 24 * 60 * 60
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = envbool("DJANGO_SECURE_HSTS_PRELOAD", "False")
# Joining the browsers' preload list is hard to undo (every subdomain, for months), so it is
# the operator's choice, not a deploy-check failure. docs/security.md.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# No inline script or style anywhere: htmx is configured by a <meta> tag (base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "frame-ancestors": [NONE],
        # Signing out of a single sign-on session is a form whose answer is a redirect to
        # the provider's end-session page: its origin is allowed, nothing else.
        "form-action": [
            SELF,
            *sorted({_origin(p["end_session_endpoint"]) for p in SSO_PROVIDERS.values()}),
        ],
        "base-uri": [NONE],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
# Files browsers ask for at the site's root (/favicon.ico), answered by WhiteNoise as they are.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names in production (run collectstatic); plain files in debug.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "tables/responsive.html"

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)

DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "opb-portal@localhost")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("DJANGO_EMAIL_USE_TLS", "False")
# Seconds a mail server may take over each step before the outbox's sender gives up on it
# (opb_portal.outbox: acts only queue their emails, so no page ever waits for this).
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "10"))
# Links in emails point here.
PORTAL_URL = os.environ.get("DJANGO_PORTAL_URL", "http://127.0.0.1:8000")

# Uploaded workbooks are kept outside the web root, under generated names.
UPLOAD_ROOT = Path(os.environ.get("DJANGO_UPLOAD_ROOT", BASE_DIR / "var" / "uploads"))
# Workbooks between upload and confirmation (the preview step).
UPLOAD_PENDING_ROOT = UPLOAD_ROOT / "pending"
# How long the copy kept of an uploaded return (only the sheets it was read from) is
# kept before `manage.py clean_uploads` removes it; the figures stay. See docs/security.md.
UPLOAD_RETENTION_DAYS = envint("DJANGO_UPLOAD_RETENTION_DAYS", "730", minimum=1)
# Issued board packs: outside the web root, under generated names, never rewritten.
PACK_ROOT = Path(os.environ.get("DJANGO_PACK_ROOT", BASE_DIR / "var" / "packs"))

# Background jobs (opb_portal.jobs, docs/decisions/0012-background-jobs.md). With no broker
# (`make demo`, most tests) a job runs in the process that asked for it, once its request
# has committed; with one, `celery -A opb_portal worker` does it and the page shows progress.
CELERY_BROKER_URL = os.environ.get("DJANGO_CELERY_BROKER_URL", "")
# Acknowledged when done, given back when the worker process dies: a killed worker's job
# runs again (opb_portal.jobs.services.job_run makes that second run finish, not repeat).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
# Seconds before a job taken by a worker that vanished (the whole machine, not one process)
# is given to another: longer than the longest job.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": envint("DJANGO_CELERY_VISIBILITY_TIMEOUT", "3600", minimum=10)
}
# What jobs made (previews, documents), kept by the job's id; every app server must reach it.
JOB_ROOT = Path(os.environ.get("DJANGO_JOB_ROOT", BASE_DIR / "var" / "jobs"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "opb_portal.core.audit.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "audit": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    # One JSON line per sign-in, refusal, upload, change of state and export.
    "loggers": {
        "opb.audit": {"handlers": ["audit"], "level": "INFO", "propagate": False},
    },
}
