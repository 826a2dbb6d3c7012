"""
Any app server may answer a person's next request: nothing a request needs is kept in one
process. Sessions are rows in the database; files live under roots every instance mounts;
static files come from WhiteNoise; Django's per-process cache is used by nothing.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db import connection

from tests.factories import UserFactory
from tests.processes import BASE_DIR, manage

SIGN_IN = """
from django.test import Client
from opb_portal.accounts.models import User
client = Client()
client.force_login(User.objects.get(username="elsewhere"))
print(client.cookies["sessionid"].value)
"""
OPEN_HOME = """
import sys
from django.test import Client
client = Client()
client.cookies["sessionid"] = sys.argv[-1]
response = client.get("/")
print(response.status_code, "elsewhere" in response.content.decode())
"""


def test_a_session_made_by_one_process_signs_the_person_in_on_another(transactional_db):
    UserFactory(username="elsewhere")
    environ = {
        "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict),
        "DJANGO_SECRET_KEY": "test-only-not-secret",
        "DJANGO_DEBUG": "1",
        "DJANGO_REQUIRE_TWO_FACTOR": "0",
        "DJANGO_ALLOWED_HOSTS": "testserver",
    }
    signed_in = manage("shell", "--no-imports", "-c", SIGN_IN, **environ)
    assert signed_in.returncode == 0, signed_in.stderr
    session = signed_in.stdout.strip().splitlines()[-1]
    elsewhere = manage(
        "shell", "--no-imports", "-c", OPEN_HOME.replace("sys.argv[-1]", repr(session)), **environ
    )
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert elsewhere.stdout.split() == ["200", "True"]


def test_sessions_are_kept_in_the_database():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_static_files_are_answered_by_whitenoise():
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE


PRINT_ROOTS = """
import json
from django.conf import settings
print(json.dumps({n: str(getattr(settings, n)) for n in ("UPLOAD_ROOT", "PACK_ROOT", "JOB_ROOT")}))
"""


def test_uploads_packs_and_job_results_go_where_the_operator_mounts_shared_storage(tmp_path):
    shared = {name: tmp_path / name.lower() for name in ("UPLOAD_ROOT", "PACK_ROOT", "JOB_ROOT")}
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        PRINT_ROOTS,
        DJANGO_DEBUG="1",
        **{f"DJANGO_{name}": str(path) for name, path in shared.items()},
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {name: str(path) for name, path in shared.items()}


def test_nothing_uses_djangos_cache_which_is_per_process_by_default():
    # With no CACHES setting Django's cache is LocMemCache: one per process, invisible to the
    # other app servers. Anything that needs a shared cache must configure one (Redis) first.
    sources = [
        path
        for folder in (
            "opb_portal",
            "kpis",
            "finance",
            "workforce",
            "demand",
            "governance",
            "inspections",
        )
        for path in (BASE_DIR / folder).rglob("*.py")
    ]
    users = [
        str(path.relative_to(BASE_DIR))
        for path in sources
        if any(
            needle in path.read_text()
            for needle in ("django.core.cache", "cache_page", "caches[", "cache.set(")
        )
    ]
    assert sources
    assert users == []
