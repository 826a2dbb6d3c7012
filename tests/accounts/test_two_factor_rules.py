"""Who must use a second factor, who needs an enrolment code to set one up, how codes are read."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from opb_portal.accounts.forms import AuthenticatorCodeForm, FirstFactorForm, RecoveryCodeForm
from opb_portal.accounts.models import EnrolmentCode, Role, User
from opb_portal.accounts.two_factor import enrolment_code_needed
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("role", "enforced", "required"),
    [
        pytest.param(Role.ADMINISTRATOR, True, True, id="administrator-enforced"),
        pytest.param(Role.REVIEWER, True, True, id="reviewer-enforced"),
        pytest.param(Role.BOARD_MEMBER, True, False, id="board-member-enforced"),
        pytest.param("kpi_submitter", True, False, id="kpi-submitter-enforced"),
        pytest.param("finance_submitter", True, False, id="finance-submitter-enforced"),
        pytest.param("workforce_submitter", True, False, id="workforce-submitter-enforced"),
        pytest.param("", True, False, id="no-role-enforced"),
        pytest.param(Role.ADMINISTRATOR, False, False, id="administrator-not-enforced"),
        pytest.param(Role.REVIEWER, False, False, id="reviewer-not-enforced"),
    ],
)
def test_only_administrators_and_reviewers_must_and_only_where_enforced(
    settings, role, enforced, required
):
    settings.REQUIRE_TWO_FACTOR = enforced
    assert User(role=role).two_factor_required() is required


@pytest.mark.parametrize(
    ("role", "enforced", "factor", "needed"),
    [
        pytest.param(Role.ADMINISTRATOR, True, None, True, id="administrator-first-factor"),
        pytest.param(Role.REVIEWER, True, None, True, id="reviewer-first-factor"),
        pytest.param(Role.ADMINISTRATOR, True, "confirmed", False, id="administrator-has-one"),
        pytest.param(
            Role.REVIEWER, True, "unconfirmed", True, id="reviewer-half-way-through-setting-up"
        ),
        pytest.param("kpi_submitter", True, None, False, id="submitter-chooses-one"),
        pytest.param(Role.BOARD_MEMBER, True, None, False, id="board-member-chooses-one"),
        pytest.param("", True, None, False, id="no-role"),
        pytest.param(Role.ADMINISTRATOR, False, None, False, id="administrator-not-enforced"),
        pytest.param(Role.REVIEWER, False, None, False, id="reviewer-not-enforced"),
    ],
)
def test_only_a_first_factor_for_a_role_that_must_have_one_needs_an_enrolment_code(
    db, settings, role, enforced, factor, needed
):
    settings.REQUIRE_TWO_FACTOR = enforced
    user = UserFactory(role=role)
    if factor:
        TOTPDevice.objects.create(user=user, name="app", confirmed=factor == "confirmed")
    assert enrolment_code_needed(user) is needed


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        pytest.param("7KQ2M-XW4HT-9PZRC", "7KQ2MXW4HT9PZRC", id="as-issued"),
        pytest.param("7kq2m xw4ht 9pzrc", "7KQ2MXW4HT9PZRC", id="small-letters-and-spaces"),
        pytest.param(" 7KQ2MXW4HT9PZRC ", "7KQ2MXW4HT9PZRC", id="run-together"),
        pytest.param("-- -", "", id="nothing-but-separators"),
    ],
)
def test_an_enrolment_code_is_read_whatever_the_case_or_spacing(typed, read):
    assert EnrolmentCode.normalise(typed) == read
    assert EnrolmentCode.hash(typed) == EnrolmentCode.hash(read)


def test_the_first_factor_form_asks_for_the_enrolment_code_first_and_needs_it():
    form = FirstFactorForm({"code": "123456"})
    assert list(form.fields) == ["enrolment_code", "code"]
    assert not form.is_valid()
    assert "enrolment_code" in form.errors
    assert "autofocus" not in form.fields["code"].widget.attrs


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        pytest.param("123456", "123456", id="six-digits"),
        pytest.param(" 123 456 ", "123456", id="spaces"),
        pytest.param("123-456", "123456", id="a-hyphen"),
        pytest.param("12345", None, id="too-short"),
        pytest.param("1234567", None, id="too-long"),
        pytest.param("12345o", None, id="a-letter-o-for-zero"),
        pytest.param("１２３４５６", None, id="full-width-digits"),
    ],
)
def test_an_authenticator_code_is_six_ascii_digits(typed, read):
    form = AuthenticatorCodeForm({"code": typed})
    assert (form.cleaned_data["code"] if form.is_valid() else None) == read
    if read is None:
        assert "Enter the 6 digits" in form.errors["code"][0]


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        pytest.param("abcd2345", "abcd2345", id="as-shown"),
        pytest.param("ABCD2345", "abcd2345", id="capitals"),
        pytest.param("abcd 2345", "abcd2345", id="in-two-groups"),
        pytest.param("abcd-2345", "abcd2345", id="a-hyphen"),
        pytest.param("abcd234", None, id="too-short"),
        pytest.param("abcd2341", None, id="a-digit-base32-never-uses"),
        pytest.param("123456", None, id="an-app-code-instead"),
    ],
)
def test_a_recovery_code_is_read_whatever_the_case_or_spacing(typed, read):
    form = RecoveryCodeForm({"code": typed})
    assert (form.cleaned_data["code"] if form.is_valid() else None) == read
