"""
The settings read the environment strictly.

Start-up is tried in a fresh interpreter each time, since settings are read
once per process and this test process already runs on the test settings.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from opb_portal.settings import envbool, envlist
from tests.processes import clean_environment, manage

BASE_DIR = Path(__file__).resolve().parent.parent
# Print the settings a start-up produced, for the parent test to read.
SHOW_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SECRET_KEY": settings.SECRET_KEY,
    "ENGINE": settings.DATABASES["default"]["ENGINE"],
    "NAME": str(settings.DATABASES["default"]["NAME"]),
    "HOST": settings.DATABASES["default"].get("HOST", ""),
    "ATOMIC_REQUESTS": settings.DATABASES["default"]["ATOMIC_REQUESTS"],
}))
"""


def start(settings_module="opb_portal.settings", **environ) -> subprocess.CompletedProcess:
    """Start Django in a new interpreter with only the OPB variables given here."""
    env = clean_environment()
    env.update(environ, DJANGO_SETTINGS_MODULE=settings_module)
    return subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def started(**environ) -> dict:
    result = start(**environ)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# --- secrets and debug ----------------------------------------------------------------


def test_without_a_secret_key_outside_debug_start_up_stops_and_says_what_to_set():
    result = start()
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY is not set" in result.stderr
    assert "set DJANGO_DEBUG=1 to run locally" in result.stderr


@pytest.mark.parametrize("debug", ["False", "0", ""])
def test_debug_switched_off_any_way_still_needs_a_secret_key(debug):
    result = start(DJANGO_DEBUG=debug)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_a_debug_value_that_is_not_a_boolean_stops_start_up_naming_the_variable():
    result = start(DJANGO_DEBUG="yes", DJANGO_SECRET_KEY="a-real-secret")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be True or False (or 1 or 0), not 'yes'" in result.stderr


def test_in_debug_mode_it_starts_with_the_development_key():
    found = started(DJANGO_DEBUG="1")
    assert found["DEBUG"] is True
    assert found["SECRET_KEY"] == "development-only-key-never-use-in-production"


def test_a_secret_key_from_the_environment_is_used_as_given():
    found = started(DJANGO_SECRET_KEY="a-real-secret")
    assert (found["DEBUG"], found["SECRET_KEY"]) == (False, "a-real-secret")


# --- the database -----------------------------------------------------------------------


def test_without_a_database_url_it_uses_sqlite_under_var():
    found = started(DJANGO_DEBUG="1")
    assert found["ENGINE"] == "django.db.backends.sqlite3"
    assert found["NAME"] == str(BASE_DIR / "var" / "opb.sqlite3")


def test_a_postgres_database_url_selects_postgresql():
    found = started(DJANGO_DEBUG="1", DATABASE_URL="postgres://app:secret@db.example:5432/opb")
    assert (found["ENGINE"], found["NAME"], found["HOST"]) == (
        "django.db.backends.postgresql",
        "opb",
        "db.example",
    )


@pytest.mark.parametrize(
    "database_url",
    [
        pytest.param("", id="sqlite"),
        pytest.param("postgres://app@db.example/opb", id="postgresql"),
    ],
)
def test_every_request_is_one_transaction(database_url):
    assert started(DJANGO_DEBUG="1", DATABASE_URL=database_url)["ATOMIC_REQUESTS"] is True


def test_the_test_settings_refuse_sqlite():
    result = start(
        settings_module="opb_portal.test_settings", DATABASE_URL="sqlite:///var/test.sqlite3"
    )
    assert result.returncode != 0
    assert "The test suite runs on PostgreSQL only" in result.stderr
    assert "django.db.backends.sqlite3" in result.stderr


def test_the_test_settings_default_to_the_local_postgresql():
    found = started(settings_module="opb_portal.test_settings")
    assert (found["ENGINE"], found["HOST"], found["DEBUG"]) == (
        "django.db.backends.postgresql",
        "127.0.0.1",
        False,
    )


def test_this_test_run_uses_the_fast_test_settings():
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


# --- the parsers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "default", "expected"),
    [
        pytest.param("True", "False", True, id="True"),
        pytest.param("true", "False", True, id="true"),
        pytest.param("1", "False", True, id="1"),
        pytest.param("False", "True", False, id="False"),
        pytest.param("false", "True", False, id="false"),
        pytest.param("0", "True", False, id="0"),
        pytest.param("", "True", True, id="empty-means-the-default-true"),
        pytest.param("", "False", False, id="empty-means-the-default-false"),
        pytest.param(None, "True", True, id="unset-means-the-default"),
    ],
)
def test_envbool_reads_only_the_spellings_of_true_and_false(monkeypatch, value, default, expected):
    if value is None:
        monkeypatch.delenv("OPB_TEST_FLAG", raising=False)
    else:
        monkeypatch.setenv("OPB_TEST_FLAG", value)
    assert envbool("OPB_TEST_FLAG", default) is expected


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("yes", id="yes"),
        pytest.param("on", id="on"),
        pytest.param("TRUE", id="upper-case"),
        pytest.param(" 1", id="padded"),
        pytest.param("2", id="two"),
    ],
)
def test_envbool_refuses_anything_else_naming_the_variable_and_the_value(monkeypatch, value):
    monkeypatch.setenv("OPB_TEST_FLAG", value)
    with pytest.raises(ImproperlyConfigured, match=f"OPB_TEST_FLAG must be .* not {value!r}"):
        envbool("OPB_TEST_FLAG", "False")


def test_envbool_refuses_a_bad_default_too(monkeypatch):
    monkeypatch.delenv("OPB_TEST_FLAG", raising=False)
    with pytest.raises(ImproperlyConfigured, match="OPB_TEST_FLAG"):
        envbool("OPB_TEST_FLAG", "maybe")


@pytest.mark.parametrize(
    ("value", "default", "expected"),
    [
        pytest.param("a.example,b.example", "", ["a.example", "b.example"], id="two-hosts"),
        pytest.param(" a.example , b.example ,", "", ["a.example", "b.example"], id="spaces"),
        pytest.param("a.example,,", "", ["a.example"], id="empty-items-dropped"),
        pytest.param(None, "x,y", ["x", "y"], id="unset-means-the-default"),
        pytest.param(None, "", [], id="unset-with-an-empty-default"),
        # Unlike envbool, a variable set to nothing is an empty list, not the default.
        pytest.param("", "x,y", [], id="empty-is-an-empty-list"),
    ],
)
def test_envlist_reads_a_comma_separated_list(monkeypatch, value, default, expected):
    if value is None:
        monkeypatch.delenv("OPB_TEST_LIST", raising=False)
    else:
        monkeypatch.setenv("OPB_TEST_LIST", value)
    assert envlist("OPB_TEST_LIST", default) == expected


def test_manage_py_says_what_to_set_without_a_traceback():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "manage.py: DJANGO_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_checking_for_missing_migrations_needs_no_secret_key():
    result = manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_any_other_command_without_a_secret_key_says_what_to_set_in_one_line():
    result = manage("check")
    assert result.returncode == 1
    assert result.stderr.strip().startswith("manage.py: DJANGO_SECRET_KEY is not set.")
    assert "Traceback" not in result.stderr
