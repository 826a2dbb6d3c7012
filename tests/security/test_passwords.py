"""Passwords: at least 12 characters, not a common one, and no composition rules."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


@pytest.mark.parametrize(
    ("password", "words"),
    [
        pytest.param("elevenchars", "at least 12 characters", id="eleven-characters"),
        pytest.param("", "at least 12 characters", id="empty"),
        pytest.param("qwertyqwerty", "too common", id="a-common-password"),
        pytest.param("123456654321", "too common", id="twelve-digits-everyone-uses"),
    ],
)
def test_a_short_or_common_password_is_refused_saying_why(password, words):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert any(words in message for message in refused.value.messages)


@pytest.mark.parametrize(
    "password",
    [
        pytest.param("rhubarb lantern", id="lower-case-words-and-a-space"),
        pytest.param("tigerfishcanal", id="only-letters"),
        pytest.param("correct horse battery staple", id="a-passphrase"),
    ],
)
def test_a_long_uncommon_password_needs_no_digits_capitals_or_symbols(password):
    validate_password(password)  # raises if any rule refused it
