"""
Two-factor sign-in: administrators and council reviewers must give a code from an app
after their password where the deployment requires it; anyone else may choose to. Where
it is required, setting up the first factor also takes an enrolment code an administrator
issued to that person: the password alone does not add the factor that opens the admin.
"""

import json
import os
import re
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db.models import F
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from opb_portal.accounts import two_factor
from opb_portal.accounts.models import ApiToken, EnrolmentCode, Role, TwoFactorEnrolment, User
from opb_portal.accounts.two_factor import TwoFactorError
from opb_portal.core.middleware import SIGNED_IN_AT
from opb_portal.outbox.models import OutgoingEmail
from tests.factories import UserFactory

PASSWORD = "a-test-password"
LOGIN = "/accounts/login/"
ACCOUNT = "/accounts/two-factor/"
SET_UP = "/accounts/two-factor/set-up/"
CODE = "/accounts/two-factor/code/"
RECOVERY = "/accounts/two-factor/recovery-codes/"
TURN_OFF = "/accounts/two-factor/turn-off/"
SCORECARD = "/kpis/scorecard/?period=2025-03"

MUST = [
    pytest.param(Role.REVIEWER, id="council-reviewer"),
    pytest.param(Role.ADMINISTRATOR, id="administrator"),
]
MAY = [
    pytest.param("kpi_submitter", id="kpi-submitter"),
    pytest.param("finance_submitter", id="finance-submitter"),
    pytest.param("workforce_submitter", id="workforce-submitter"),
    pytest.param(Role.BOARD_MEMBER, id="board-member"),
]


@pytest.fixture
def enforced(settings):
    settings.REQUIRE_TWO_FACTOR = True


def person(role=Role.REVIEWER):
    return UserFactory(role=role, username=f"sam-{role}", is_staff=role == Role.ADMINISTRATOR)


def sign_in(user) -> Client:
    """A browser that has given the password, through the sign-in form."""
    client = Client()
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password was refused"
    return client


def with_authenticator(user) -> TOTPDevice:
    """An authenticator app set up, with its recovery codes."""
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    two_factor.recovery_codes_regenerate(user=user)
    return device


def an_enrolment_code(user) -> str:
    """The code an administrator gives a person whose role requires a second factor."""
    issuer, _ = User.objects.get_or_create(
        username=f"issuer-for-{user.username}", defaults={"role": Role.ADMINISTRATOR}
    )
    return two_factor.enrolment_code_issue(user=user, issued_by=issuer)


def code_now(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """What the person's app shows now (or `steps_ahead` 30-second steps from now)."""
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0 - steps_ahead * device.step)
    return f"{value:0{device.digits}d}"


def a_wrong_code(device: TOTPDevice) -> str:
    right = {code_now(device, steps_ahead=n) for n in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in right)


def recovery_codes_of(user) -> list[str]:
    return list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


def wait_out_the_back_off(device) -> None:
    type(device).objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=device.throttling_failure_timestamp - timedelta(hours=1)
    )


# --- the setting ---------------------------------------------------------------------------

SHOW = (
    "import django; from django.conf import settings; django.setup(); "
    "print(settings.REQUIRE_TWO_FACTOR)"
)


def start(**environ) -> subprocess.CompletedProcess:
    """Django's settings read in a fresh interpreter, with only the variables given here."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(environ, DJANGO_SETTINGS_MODULE="opb_portal.settings", DJANGO_SECRET_KEY="x" * 50)
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("value", "required"),
    [
        pytest.param(None, "True", id="production-default-on"),
        pytest.param("1", "True", id="on"),
        pytest.param("0", "False", id="off"),
        pytest.param("False", "False", id="off-spelt-out"),
    ],
)
def test_production_settings_require_two_factor_unless_switched_off(value, required):
    result = start(**({} if value is None else {"DJANGO_REQUIRE_TWO_FACTOR": value}))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == required


def test_a_value_that_is_not_a_boolean_stops_start_up_naming_the_variable():
    result = start(DJANGO_REQUIRE_TWO_FACTOR="sometimes")
    assert result.returncode != 0
    assert "DJANGO_REQUIRE_TWO_FACTOR must be True or False" in result.stderr


def test_make_demo_switches_it_off():
    makefile = (django_settings.BASE_DIR / "Makefile").read_text()
    (demo_env,) = re.findall(r"^DEMO_ENV := env (.*)$", makefile, flags=re.MULTILINE)
    result = start(**dict(pair.split("=", 1) for pair in demo_env.split()))
    assert result.stdout.strip() == "False", result.stderr


def test_the_test_settings_leave_it_off_for_tests_that_sign_in_with_a_password():
    assert django_settings.REQUIRE_TWO_FACTOR is False


# --- enforcement off --------------------------------------------------------------------------


@pytest.mark.parametrize("role", MUST)
def test_with_enforcement_off_a_reviewer_or_administrator_gets_in_with_a_password(demo, role):
    client = sign_in(person(role))
    assert client.get(SCORECARD).status_code == 200


# --- enforcement on: nothing but setting up until it is done ---------------------------------

EVERY_PAGE = [
    pytest.param("/", id="home"),
    pytest.param(SCORECARD, id="scorecard"),
    pytest.param("/kpis/2024/PI1/", id="kpi"),
    pytest.param("/finance/?period=2025-03", id="finance"),
    pytest.param("/returns/", id="returns"),
    pytest.param("/returns/kpis/2025-03/", id="a-return"),
    pytest.param("/meetings/", id="meetings"),
    pytest.param("/kpis/scorecard.xlsx?period=2025-03", id="an-export"),
    pytest.param("/admin/", id="the-admin"),
    pytest.param(ACCOUNT, id="two-factor-account-page"),
    pytest.param(RECOVERY, id="recovery-codes"),
    pytest.param(CODE, id="the-code-page"),
]


@pytest.mark.parametrize("role", MUST)
@pytest.mark.parametrize("url", EVERY_PAGE)
def test_with_enforcement_on_a_reviewer_without_a_device_is_sent_to_set_up_from_every_page(
    demo, enforced, role, url
):
    client = sign_in(person(role))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{SET_UP}?next=")


def test_a_post_is_held_back_too(demo, enforced):
    client = sign_in(person(Role.REVIEWER))
    response = client.post("/returns/kpis/2025-03/comment/", {"comment": "Why?"})
    assert (response.status_code, response["Location"]) == (
        302,
        f"{SET_UP}?next=%2Freturns%2Fkpis%2F2025-03%2Fcomment%2F",
    )


def test_the_api_by_session_says_401_in_json_until_the_second_factor(demo, enforced):
    response = sign_in(person(Role.REVIEWER)).get("/api/v1/kpis/?period=2025-03")
    assert response.status_code == 401
    assert "second factor" in response.json()["error"]


def test_the_api_with_a_token_is_unaffected(demo, enforced):
    reviewer = person(Role.REVIEWER)
    _, key = ApiToken.issue(user=reviewer)
    response = Client().get("/api/v1/kpis/?period=2025-03", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        pytest.param("get", SET_UP, 200, id="setting-up"),
        pytest.param("get", LOGIN, 200, id="signing-in-as-someone-else"),
        pytest.param("get", "/healthz", 200, id="health-check"),
        pytest.param("post", "/accounts/logout/", 302, id="signing-out"),
    ],
)
def test_setting_up_and_signing_in_or_out_stay_open(demo, enforced, method, url, status):
    response = getattr(sign_in(person(Role.REVIEWER)), method)(url)
    assert response.status_code == status
    assert not response.get("Location", "").startswith(SET_UP)


@pytest.mark.parametrize("role", MAY)
def test_with_enforcement_on_other_roles_are_not_forced(demo, enforced, role):
    client = sign_in(person(role))
    assert client.get(SCORECARD).status_code == 200


def test_a_person_made_a_reviewer_is_held_from_their_next_request(demo, enforced):
    member = person(Role.BOARD_MEMBER)
    client = sign_in(member)
    assert client.get(SCORECARD).status_code == 200
    member.role = Role.REVIEWER
    member.save(update_fields=["role"])
    assert client.get(SCORECARD)["Location"].startswith(SET_UP)


# --- setting up ------------------------------------------------------------------------------


def test_setting_up_shows_the_key_as_a_qr_code_and_as_text_in_an_accessible_form(db):
    client = sign_in(person(Role.BOARD_MEMBER))
    page = client.get(SET_UP).content.decode()

    device = TOTPDevice.objects.get(confirmed=False)
    assert re.search(
        r'<img class="qr-code" src="data:image/svg\+xml;base64,[^"]+"[^>]* alt="', page
    )
    assert two_factor.manual_key(device) in page
    assert re.search(r'<label\s+for="id_code"', page)
    field = re.search(r"<input [^>]*name=\"code\"[^>]*>", page)[0]
    assert 'autocomplete="one-time-code"' in field
    assert 'inputmode="numeric"' in field


def test_reloading_the_set_up_page_keeps_the_same_key(db):
    client = sign_in(person(Role.BOARD_MEMBER))
    client.get(SET_UP)
    client.get(SET_UP)
    assert TOTPDevice.objects.count() == 1


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("12345", id="five-digits"),
        pytest.param("1234567", id="seven-digits"),
        pytest.param("12345a", id="a-letter"),
        pytest.param("١٢٣٤٥٦", id="arabic-indic-digits"),
        pytest.param("", id="nothing"),
    ],
)
def test_a_code_that_is_not_six_digits_is_refused_saying_what_to_type(db, typed):
    client = sign_in(person(Role.BOARD_MEMBER))
    response = client.post(SET_UP, {"code": typed})
    assert response.status_code == 400
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_set_up_with_a_wrong_code_fails_with_the_error_linked_to_the_field(demo, enforced):
    reviewer = person(Role.REVIEWER)
    client = sign_in(reviewer)
    client.get(SET_UP)
    device = TOTPDevice.objects.get()

    response = client.post(
        SET_UP, {"code": a_wrong_code(device), "enrolment_code": an_enrolment_code(reviewer)}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "That code is not right" in page
    field = re.search(r"<input [^>]*name=\"code\"[^>]*>", page)[0]
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="id_code_helptext id_code_error"' in field
    assert 'id="id_code_error"' in page
    assert not TOTPDevice.objects.get().confirmed
    assert client.get(SCORECARD)["Location"].startswith(SET_UP)


@pytest.mark.parametrize(
    ("typed", "as_typed"),
    [
        pytest.param("{code}", "plain", id="six-digits"),
        pytest.param("{head} {tail}", "with-a-space", id="in-two-groups"),
    ],
)
def test_set_up_with_the_right_code_turns_it_on_and_lets_the_person_in(
    demo, enforced, typed, as_typed
):
    reviewer = person(Role.REVIEWER)
    client = sign_in(reviewer)
    client.get(f"{SET_UP}?next=/kpis/years/")
    code = code_now(TOTPDevice.objects.get())

    response = client.post(
        f"{SET_UP}?next=/kpis/years/",
        {
            "code": typed.format(code=code, head=code[:3], tail=code[3:]),
            "enrolment_code": an_enrolment_code(reviewer),
        },
    )

    assert (response.status_code, response["Location"]) == (
        302,
        f"{RECOVERY}?next=%2Fkpis%2Fyears%2F",
    )
    assert TOTPDevice.objects.get(user=reviewer).confirmed
    assert client.get(SCORECARD).status_code == 200


def test_the_recovery_codes_are_shown_once_at_set_up(demo, enforced):
    reviewer = person(Role.REVIEWER)
    client = sign_in(reviewer)
    client.get(SET_UP)
    client.post(
        SET_UP,
        {"code": code_now(TOTPDevice.objects.get()), "enrolment_code": an_enrolment_code(reviewer)},
    )

    first = client.get(f"{RECOVERY}?next=/kpis/years/").content.decode()
    again = client.get(RECOVERY).content.decode()

    codes = recovery_codes_of(reviewer)
    assert len(codes) == 10
    assert all(code in first for code in codes)
    assert 'href="/kpis/years/"' in first
    assert not any(code in again for code in codes)
    assert "10</strong> recovery codes left" in again


def test_setting_up_twice_is_refused(db):
    user = person(Role.BOARD_MEMBER)
    with_authenticator(user)
    client = Client()
    client.force_login(user)
    _verify(client, TOTPDevice.objects.get())
    response = client.get(SET_UP)
    assert (response.status_code, response["Location"]) == (302, ACCOUNT)


# --- signing in with a second factor ------------------------------------------------------------


def _verify(client, device, **extra):
    return client.post(CODE, {"code": code_now(device)}, **extra)


@pytest.mark.parametrize(
    ("role", "enforcement"),
    [
        pytest.param(Role.REVIEWER, True, id="a-reviewer-where-it-is-required"),
        pytest.param(Role.ADMINISTRATOR, True, id="an-administrator-where-it-is-required"),
        pytest.param(Role.REVIEWER, False, id="a-reviewer-who-chose-it"),
        pytest.param("kpi_submitter", False, id="a-submitter-who-chose-it"),
        pytest.param(Role.BOARD_MEMBER, True, id="a-board-member-who-chose-it"),
    ],
)
def test_a_person_with_a_device_must_give_a_code_before_any_page(demo, settings, role, enforcement):
    settings.REQUIRE_TWO_FACTOR = enforcement
    user = person(role)
    device = with_authenticator(user)
    client = sign_in(user)

    for url in ("/", SCORECARD, "/kpis/years/", SET_UP, ACCOUNT):
        response = client.get(url)
        assert response["Location"].startswith(f"{CODE}?next="), url

    response = _verify(client, device, query_params={"next": "/kpis/years/"})
    assert (response.status_code, response["Location"]) == (302, "/kpis/years/")
    assert client.get(SCORECARD).status_code == 200


def test_the_code_page_is_accessible_and_offers_a_recovery_code(demo, enforced):
    user = person(Role.REVIEWER)
    with_authenticator(user)
    page = sign_in(user).get(f"{CODE}?next=/kpis/years/").content.decode()

    assert '<h1 class="h3 mb-3">Enter your code</h1>' in page
    field = re.search(r"<input [^>]*name=\"code\"[^>]*>", page)[0]
    assert 'autocomplete="one-time-code"' in field
    assert 'inputmode="numeric"' in field
    assert re.search(r'<label\s+for="id_code"', page)
    assert 'href="?using=recovery&amp;next=/kpis/years/"' in page


def test_a_wrong_code_is_refused_and_the_person_stays_held(demo, enforced):
    user = person(Role.REVIEWER)
    device = with_authenticator(user)
    client = sign_in(user)

    response = client.post(CODE, {"code": a_wrong_code(device)})

    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    assert client.get(SCORECARD)["Location"].startswith(CODE)


def test_wrong_codes_are_throttled_and_the_page_says_how_long_to_wait(demo, enforced):
    user = person(Role.REVIEWER)
    device = with_authenticator(user)
    client = sign_in(user)
    client.post(CODE, {"code": a_wrong_code(device)})

    refused = _verify(client, device)

    assert refused.status_code == 400
    assert re.search(r"Too many wrong codes in a row: wait \d+ seconds", refused.content.decode())
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    wait_out_the_back_off(device)
    assert _verify(client, device).status_code == 302


def test_a_code_from_the_app_is_accepted_once_only(demo, enforced):
    user = person(Role.REVIEWER)
    device = with_authenticator(user)
    code = code_now(device)
    assert sign_in(user).post(CODE, {"code": code}).status_code == 302

    assert sign_in(user).post(CODE, {"code": code}).status_code == 400


def test_a_recovery_code_works_once_only(demo, enforced):
    user = person(Role.REVIEWER)
    with_authenticator(user)
    code = recovery_codes_of(user)[0]

    first = sign_in(user)
    response = first.post(f"{CODE}?using=recovery", {"code": code.upper()})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert first.get(SCORECARD).status_code == 200
    assert code not in recovery_codes_of(user)
    assert len(recovery_codes_of(user)) == 9

    again = sign_in(user).post(f"{CODE}?using=recovery", {"code": code})
    assert again.status_code == 400
    assert "That code is not right" in again.content.decode()


def test_the_recovery_code_page_asks_for_text_not_digits(demo, enforced):
    user = person(Role.REVIEWER)
    with_authenticator(user)
    page = sign_in(user).get(f"{CODE}?using=recovery").content.decode()
    assert "Use a recovery code" in page
    field = re.search(r"<input [^>]*name=\"code\"[^>]*>", page)[0]
    assert 'autocomplete="off"' in field
    assert "inputmode" not in field


def test_the_code_page_sends_someone_who_owes_nothing_on(demo):
    client = sign_in(person(Role.BOARD_MEMBER))
    response = client.get(f"{CODE}?next=/kpis/years/")
    assert (response.status_code, response["Location"]) == (302, "/kpis/years/")


def test_a_next_page_on_another_site_is_ignored(demo, enforced):
    user = person(Role.REVIEWER)
    device = with_authenticator(user)
    response = _verify(sign_in(user), device, query_params={"next": "https://evil.example/"})
    assert (response.status_code, response["Location"]) == (302, "/")


def test_giving_the_code_changes_the_session_key(demo, enforced):
    user = person(Role.REVIEWER)
    device = with_authenticator(user)
    client = sign_in(user)
    before = client.session.session_key

    _verify(client, device)

    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def test_the_12_hour_limit_still_ends_a_session_that_gave_its_code(demo, enforced):
    user = person(Role.REVIEWER)
    device = with_authenticator(user)
    client = sign_in(user)
    _verify(client, device)
    session = client.session
    session[SIGNED_IN_AT] = int(time.time() - 13 * 3600)
    session.save()

    response = client.get("/kpis/years/")

    assert (response.status_code, response["Location"]) == (302, f"{LOGIN}?next=/kpis/years/")


# --- the account page: new recovery codes, turning it off -------------------------------------


def _verified(user, device) -> Client:
    client = sign_in(user)
    assert _verify(client, device).status_code == 302
    return client


def test_a_submitter_can_set_it_up_from_the_account_page(db):
    client = sign_in(person("kpi_submitter"))
    page = client.get(ACCOUNT).content.decode()
    assert "Status: off." in page
    assert f'href="{SET_UP}"' in page


def test_new_recovery_codes_replace_the_old_ones(demo, enforced):
    user = person(Role.REVIEWER)
    device = with_authenticator(user)
    old = recovery_codes_of(user)
    client = _verified(user, device)

    response = client.post(RECOVERY)

    assert (response.status_code, response["Location"]) == (302, RECOVERY)
    new = recovery_codes_of(user)
    assert len(new) == 10
    assert not set(old) & set(new)
    shown = client.get(RECOVERY).content.decode()
    assert all(code in shown for code in new)


def test_turning_it_off_removes_the_app_and_the_codes_and_the_password_is_enough_again(demo):
    user = person("kpi_submitter")
    device = with_authenticator(user)
    client = _verified(user, device)

    response = client.post(TURN_OFF)

    assert (response.status_code, response["Location"]) == (302, ACCOUNT)
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert "Status: off." in client.get(ACCOUNT).content.decode()
    assert sign_in(user).get(SCORECARD).status_code == 200


def test_a_reviewer_who_turns_it_off_where_it_is_required_must_set_it_up_again(demo, enforced):
    user = person(Role.REVIEWER)
    client = _verified(user, with_authenticator(user))

    client.post(TURN_OFF)

    response = client.get(SCORECARD)
    assert response["Location"].startswith(SET_UP)


@pytest.mark.parametrize(
    ("method", "url"),
    [
        pytest.param("post", TURN_OFF, id="turning-it-off"),
        pytest.param("post", RECOVERY, id="new-recovery-codes"),
    ],
)
def test_changing_it_needs_the_code_given_in_this_session(db, method, url):
    user = person(Role.BOARD_MEMBER)
    client = Client()
    # Signed in before the app was set up (in another browser): the password only.
    client.force_login(user)
    with_authenticator(user)

    response = getattr(client, method)(url)

    assert (response.status_code, response["Location"]) == (
        302,
        f"{CODE}?next=%2Faccounts%2Ftwo-factor%2F",
    )
    assert TOTPDevice.objects.filter(user=user).exists()


def test_turning_it_off_is_a_post_only(db):
    client = sign_in(person(Role.BOARD_MEMBER))
    assert client.get(TURN_OFF).status_code == 405


def test_a_person_without_a_role_cannot_reach_the_account_page(db):
    client = sign_in(UserFactory(role=""))
    assert client.get(ACCOUNT).status_code == 403


# --- the audit log -----------------------------------------------------------------------------


def test_every_two_factor_step_is_audited_and_no_code_is_ever_logged(
    demo,
    enforced,
    audit_lines,
):
    reviewer = person(Role.REVIEWER)
    enrolment_code = an_enrolment_code(reviewer)
    client = sign_in(reviewer)
    client.get(SET_UP)
    device = TOTPDevice.objects.get()
    wrong, right = a_wrong_code(device), code_now(device)
    client.post(SET_UP, {"code": right, "enrolment_code": "NOT-THE-CODE"})
    client.post(SET_UP, {"code": wrong, "enrolment_code": enrolment_code})
    wait_out_the_back_off(TOTPDevice.objects.get())
    client.post(SET_UP, {"code": right, "enrolment_code": enrolment_code})
    client.post(RECOVERY)
    client.post(TURN_OFF)
    codes = recovery_codes_of(reviewer)
    with_authenticator(reviewer)
    recovery = recovery_codes_of(reviewer)[0]
    again = sign_in(reviewer)
    again.post(f"{CODE}?using=recovery", {"code": "zzzzzzzz"})
    wait_out_the_back_off(StaticDevice.objects.get(user=reviewer))
    again.post(f"{CODE}?using=recovery", {"code": recovery})

    events = [
        e for e in map(json.loads, audit_lines) if e["event"] not in ("login", "permission_denied")
    ]
    assert [(e["event"], e.get("reason") or e.get("factor")) for e in events] == [
        ("two_factor_failed", "enrolment_code_wrong"),
        ("two_factor_failed", "wrong_code"),
        ("two_factor_enrolled", None),
        ("recovery_codes_regenerated", None),
        ("two_factor_disabled", None),
        ("two_factor_failed", "wrong_code"),
        ("two_factor_verified", "recovery_code"),
    ]
    assert all(e["user"] == reviewer.username for e in events)
    assert events[2]["with_enrolment_code"] is True
    assert events[-1]["recovery_codes"] == 9
    text = "".join(audit_lines)
    for secret in (wrong, right, recovery, "zzzzzzzz", enrolment_code, "NOT-THE-CODE", *codes):
        assert secret not in text


# --- enrolment codes: a first factor for a required role needs one from an administrator ------

USERS = "/admin/accounts/user/"


def promoted_to_administrator(user) -> None:
    """What the injected markup did through an administrator's browser: made them one."""
    user.role = Role.ADMINISTRATOR
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["role", "is_staff", "is_superuser"])


def _enrol(client, user, **fields):
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    return client.post(SET_UP, {"code": code_now(device), **fields})


def test_a_submitter_promoted_to_administrator_cannot_enrol_with_the_password_alone(
    demo, enforced, audit_lines
):
    mallory = UserFactory(role="kpi_submitter", username="mallory", email="m@example.org")
    promoted_to_administrator(mallory)
    client = sign_in(mallory)
    assert client.get("/admin/")["Location"].startswith(f"{SET_UP}?next=")
    page = client.get(SET_UP).content.decode()
    assert re.search(r'<label\s+for="id_enrolment_code"', page)

    without = _enrol(client, mallory)
    guessed = _enrol(client, mallory, enrolment_code="ABCDE-FGHJK-MNPQR")
    # Nor can they issue themselves one: the admin holds them on the set-up page...
    action = client.post(USERS, {"action": "issue_enrolment_code", "_selected_action": mallory.pk})
    # ...and the service refuses anyone their own code.
    with pytest.raises(TwoFactorError, match="for yourself"):
        two_factor.enrolment_code_issue(user=mallory, issued_by=mallory)

    assert without.status_code == guessed.status_code == 400
    assert "This field is required" in without.content.decode()
    assert "That enrolment code is not right" in guessed.content.decode()
    assert action["Location"].startswith(f"{SET_UP}?next=")
    assert not EnrolmentCode.objects.filter(user=mallory).exists()
    assert not TOTPDevice.objects.filter(user=mallory, confirmed=True).exists()
    assert client.get("/admin/")["Location"].startswith(f"{SET_UP}?next=")
    refusals = [json.loads(line) for line in audit_lines if "two_factor_failed" in line]
    assert [e["reason"] for e in refusals] == ["enrolment_code_wrong"]


def test_a_code_issued_for_one_person_does_not_work_for_another(demo, enforced):
    ann, ben = person(Role.REVIEWER), UserFactory(role=Role.ADMINISTRATOR, username="ben")
    anns_code = an_enrolment_code(ann)

    refused = _enrol(sign_in(ben), ben, enrolment_code=anns_code)
    accepted = _enrol(sign_in(ann), ann, enrolment_code=anns_code)

    assert refused.status_code == 400
    assert "That enrolment code is not right" in refused.content.decode()
    assert not two_factor.has_two_factor(ben)
    assert accepted.status_code == 302
    assert two_factor.has_two_factor(ann)


def test_with_a_code_from_another_administrator_the_promoted_person_enrols_and_everyone_is_told(
    demo, enforced
):
    mallory = UserFactory(role="kpi_submitter", username="mallory", email="m@example.org")
    promoted_to_administrator(mallory)
    jo = UserFactory(role=Role.ADMINISTRATOR, username="jo", first_name="Jo", email="jo@x.org")
    code = two_factor.enrolment_code_issue(user=mallory, issued_by=jo)
    client = sign_in(mallory)

    response = _enrol(client, mallory, enrolment_code=code.lower().replace("-", " "))

    assert (response.status_code, response["Location"]) == (302, f"{RECOVERY}?next=%2F")
    assert client.get("/admin/").status_code == 200
    grant = EnrolmentCode.objects.get(user=mallory)
    assert grant.used_at is not None
    assert TwoFactorEnrolment.objects.get(user=mallory).enrolment_code == grant
    told = {email.to: email for email in OutgoingEmail.objects.all()}
    assert set(told) == {"m@example.org", "jo@x.org", "admin@example.org"}
    assert told["m@example.org"].subject == "OPB portal: a second factor was added to your account"
    body = told["m@example.org"].body
    assert "A second factor (an authenticator app) was added to your OPB portal account" in body
    assert "with an enrolment code issued by Jo" in body
    assert "If this was not you, tell an administrator at once" in body
    assert "mallory (mallory, Administrator) set up a second factor" in told["jo@x.org"].body


@pytest.mark.parametrize(
    ("age", "works"),
    [
        pytest.param(timedelta(minutes=1), True, id="a-minute-old"),
        pytest.param(timedelta(hours=23, minutes=59), True, id="just-under-24-hours"),
        pytest.param(timedelta(hours=24, minutes=1), False, id="just-over-24-hours"),
        pytest.param(timedelta(days=7), False, id="a-week-old"),
    ],
)
def test_an_enrolment_code_works_for_24_hours(demo, enforced, age, works):
    reviewer = person(Role.REVIEWER)
    code = an_enrolment_code(reviewer)
    EnrolmentCode.objects.update(created_at=F("created_at") - age, expires_at=F("expires_at") - age)

    response = _enrol(sign_in(reviewer), reviewer, enrolment_code=code)

    assert (response.status_code == 302) is works
    assert two_factor.has_two_factor(reviewer) is works


def test_an_enrolment_code_works_once(demo, enforced, audit_lines):
    reviewer = person(Role.REVIEWER)
    code = an_enrolment_code(reviewer)
    client = sign_in(reviewer)
    assert _enrol(client, reviewer, enrolment_code=code).status_code == 302
    client.post(TURN_OFF)  # verified in this session, so allowed; the role needs it again

    again = _enrol(client, reviewer, enrolment_code=code)

    assert again.status_code == 400
    assert "That enrolment code is not right, has been used" in again.content.decode()
    assert not two_factor.has_two_factor(reviewer)
    reasons = [json.loads(line).get("reason") for line in audit_lines]
    assert "enrolment_code_used" in reasons


def test_a_new_code_replaces_the_last_one_and_only_a_hash_is_kept(db):
    reviewer = person(Role.REVIEWER)
    first, second = an_enrolment_code(reviewer), an_enrolment_code(reviewer)

    assert re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5}", second)
    stored = [str(value) for row in EnrolmentCode.objects.values() for value in row.values()]
    assert not any(code.replace("-", "") in value for code in (first, second) for value in stored)
    old, new = EnrolmentCode.objects.order_by("created_at")
    assert not old.usable()
    assert new.usable()


@pytest.mark.parametrize(
    ("issuer_role", "why"),
    [
        pytest.param(Role.REVIEWER, "Only an administrator", id="a-reviewer"),
        pytest.param("kpi_submitter", "Only an administrator", id="a-submitter"),
        pytest.param(Role.BOARD_MEMBER, "Only an administrator", id="a-board-member"),
    ],
)
def test_only_an_administrator_issues_enrolment_codes(db, issuer_role, why):
    with pytest.raises(TwoFactorError, match=why):
        two_factor.enrolment_code_issue(
            user=person(Role.REVIEWER), issued_by=UserFactory(role=issuer_role)
        )
    assert not EnrolmentCode.objects.exists()


def test_a_person_who_already_has_a_factor_gets_no_code(db):
    reviewer = person(Role.REVIEWER)
    with_authenticator(reviewer)
    with pytest.raises(TwoFactorError, match="already has two-factor sign-in"):
        an_enrolment_code(reviewer)


def test_an_administrator_issues_a_code_from_the_people_list_and_sees_it_once(
    client, demo, audit_lines
):
    reviewer = person(Role.REVIEWER)
    client.force_login(User.objects.get(username="admin"))

    response = client.post(
        USERS, {"action": "issue_enrolment_code", "_selected_action": [reviewer.pk]}
    )

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    (code,) = re.findall(r'<code class="enrolment-code">([A-Z2-9-]+)</code>', page)
    grant = EnrolmentCode.objects.get(user=reviewer)
    assert grant.issued_by.username == "admin"
    assert grant.code_hash == EnrolmentCode.hash(code)
    (issued,) = [json.loads(line) for line in audit_lines if "enrolment_code_issued" in line]
    assert (issued["user"], issued["for_user"]) == ("admin", reviewer.username)
    assert code not in "".join(audit_lines)


def test_an_administrator_cannot_issue_their_own_code_from_the_people_list(client, demo):
    admin = User.objects.get(username="admin")
    client.force_login(admin)

    response = client.post(
        USERS, {"action": "issue_enrolment_code", "_selected_action": [admin.pk]}, follow=True
    )

    assert "You cannot issue an enrolment code for yourself" in response.content.decode()
    assert not EnrolmentCode.objects.exists()


def test_the_command_prints_a_code_once_for_the_person_named(db, capsys):
    reviewer = person(Role.REVIEWER)

    call_command("enrolment_code", reviewer.username)

    out, err = capsys.readouterr()
    code = out.strip()
    assert EnrolmentCode.objects.get(user=reviewer).code_hash == EnrolmentCode.hash(code)
    assert EnrolmentCode.objects.get().issued_by is None
    assert "It works once, until" in err
    assert "not by email" in err


@pytest.mark.parametrize(
    ("username", "message"),
    [
        pytest.param("nobody", "No user called 'nobody'", id="no-such-person"),
        pytest.param("sam-reviewer", "already has two-factor sign-in", id="already-on"),
    ],
)
def test_the_command_refuses_saying_why(db, username, message):
    with_authenticator(person(Role.REVIEWER))
    with pytest.raises(CommandError, match=message):
        call_command("enrolment_code", username)
    assert not EnrolmentCode.objects.exists()


def test_a_factor_a_person_chooses_needs_no_code_and_they_are_told_of_it(demo, enforced):
    member = person(Role.BOARD_MEMBER)
    member.email = "member@example.org"
    member.save(update_fields=["email"])
    client = sign_in(member)
    assert "enrolment_code" not in client.get(SET_UP).content.decode()

    response = _enrol(client, member)

    assert response.status_code == 302
    assert TwoFactorEnrolment.objects.get(user=member).enrolment_code is None
    assert "member@example.org" in set(OutgoingEmail.objects.values_list("to", flat=True))
