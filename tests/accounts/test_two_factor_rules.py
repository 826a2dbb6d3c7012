"""Who must use a second factor, and how typed codes are read."""

import pytest

from opb_portal.accounts.forms import AuthenticatorCodeForm, RecoveryCodeForm
from opb_portal.accounts.models import Role, User


@pytest.mark.parametrize(
    ("role", "enforced", "required"),
    [
        pytest.param(Role.ADMINISTRATOR, True, True, id="administrator-enforced"),
        pytest.param(Role.REVIEWER, True, True, id="reviewer-enforced"),
        pytest.param(Role.BOARD_MEMBER, True, False, id="board-member-enforced"),
        pytest.param(Role.KPI_SUBMITTER, True, False, id="kpi-submitter-enforced"),
        pytest.param(Role.FINANCE_SUBMITTER, True, False, id="finance-submitter-enforced"),
        pytest.param(Role.WORKFORCE_SUBMITTER, True, False, id="workforce-submitter-enforced"),
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
