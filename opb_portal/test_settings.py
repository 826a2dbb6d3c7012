"""
Settings for the test suite: the real ones, made fast, on PostgreSQL only.

The suite must never fall back to SQLite: a test that passes on SQLite can
fail on the production database (decimal handling, locking, constraints).
The one exception is the demo walk (tests/walk), which `make walk-sqlite` runs
on SQLite as well, because that is the database `make demo` gives every new user
(with tests/test_period_field.py: a month is each database's own date column).
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/opb_portal")

from opb_portal.settings import *  # noqa: E402,F403
from opb_portal.settings import DATABASES  # noqa: E402

ON_SQLITE_ON_PURPOSE = os.environ.get("OPB_DEMO_WALK_ON_SQLITE") == "1"
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql" and not ON_SQLITE_ON_PURPOSE:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "The test suite runs on PostgreSQL only; DATABASE_URL points at "
        f"{DATABASES['default']['ENGINE']}. Run `make test`, which finds or starts PostgreSQL."
    )

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

# Uploaded files go to a directory of this test run, never the demo's var/.
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

UPLOAD_ROOT = Path(tempfile.mkdtemp(prefix="opb-test-uploads-"))
UPLOAD_PENDING_ROOT = UPLOAD_ROOT / "pending"
PACK_ROOT = Path(tempfile.mkdtemp(prefix="opb-test-packs-"))
JOB_ROOT = Path(tempfile.mkdtemp(prefix="opb-test-jobs-"))
# Jobs run in-process unless a test starts a real worker and broker (tests/jobs).
CELERY_BROKER_URL = ""

# The browser tests talk plain HTTP to a live server: Secure cookies would never
# come back, and a redirect to https would have nothing to answer it. Production
# values are proved by `make check-deploy` (tests/security/test_deploy_check.py).
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Templates find static files where they are, without collectstatic.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="opb-test-static-"))
# The query counts pinned by the page tests are the view's own; saving the session
# on every request adds one UPDATE to each. tests/security/test_sessions.py turns it back on.
SESSION_SAVE_EVERY_REQUEST = False
# Two-factor sign-in is off so that tests sign reviewers and administrators in with a password
# (force_login); tests/security/test_two_factor.py turns it on where it is the subject.
REQUIRE_TWO_FACTOR = False
