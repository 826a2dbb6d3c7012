"""Production settings pass Django's deployment checklist; debug mode still runs over http."""

import secrets

from tests.processes import manage

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
    "DJANGO_ALLOWED_HOSTS": "opb.example.org",
}


def test_production_settings_pass_the_deploy_check_with_no_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_behind_a_proxy_production_settings_still_pass_the_deploy_check():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", DJANGO_BEHIND_PROXY="1", **PRODUCTION
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_short_secret_key_fails_the_deploy_check():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION, "DJANGO_SECRET_KEY": "x"}
    )
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


SHOW = (
    "from django.conf import settings as s;"
    "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
    " s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER)"
)


def test_production_cookies_are_secure_and_http_redirects_to_https():
    result = manage("shell", "--no-imports", "-c", SHOW, DJANGO_BEHIND_PROXY="1", **PRODUCTION)
    assert result.stdout.split() == [
        "True",
        "True",
        "True",
        "31536000",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
    ], result.stderr


def test_debug_mode_serves_plain_http_for_make_demo():
    result = manage("shell", "--no-imports", "-c", SHOW, DJANGO_DEBUG="1")
    assert result.stdout.split() == ["False", "False", "False", "0", "None"], result.stderr
