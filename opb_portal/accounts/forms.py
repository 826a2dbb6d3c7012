"""
The forms of two-factor sign-in. Each turns what was typed into a code as django-otp
expects it (digits; a recovery code in lower case) and says plainly what is wrong.
"""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

AUTHENTICATOR_DIGITS = 6
# django-otp's recovery codes: 8 characters of base32, written here in lower case.
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")


def _helper(button: str) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.add_input(Submit("go", button))
    return helper


def _typed_code_input(*, autocapitalize: str) -> forms.TextInput:
    """A code copied from paper or a message: no autofill, no spelling fixes, the focus."""
    return forms.TextInput(
        attrs={
            "autocomplete": "off",
            "autocapitalize": autocapitalize,
            "spellcheck": "false",
            "autofocus": True,
        }
    )


class AuthenticatorCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text=f"The {AUTHENTICATOR_DIGITS} digits the app shows for the OPB portal now.",
        max_length=12,
        # A phone offers its number pad and the code from a text message or the app.
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def __init__(self, *args, button: str = "Continue", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(button)

    def clean_code(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not (code.isascii() and code.isdigit() and len(code) == AUTHENTICATOR_DIGITS):
            raise forms.ValidationError(
                f"Enter the {AUTHENTICATOR_DIGITS} digits your authenticator app shows, "
                "for example 123456."
            )
        return code


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label="Recovery code",
        help_text="One of the codes you kept when you set up two-factor sign-in, "
        "such as abcd2345. Each works once.",
        max_length=20,
        widget=_typed_code_input(autocapitalize="none"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Continue")

    def clean_code(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"]).lower()
        if not RECOVERY_CODE.fullmatch(code):
            raise forms.ValidationError(
                "A recovery code is 8 letters and digits, such as abcd2345."
            )
        return code


class FirstFactorForm(AuthenticatorCodeForm):
    """
    Setting up a first factor where the role requires one: the app's code and the enrolment
    code an administrator gave the person (what a stolen password does not bring).
    """

    enrolment_code = forms.CharField(
        label="Enrolment code from an administrator",
        help_text="The code an administrator gave you for setting up two-factor sign-in, "
        "such as 7KQ2M-XW4HT-9PZRC. It works once, for 24 hours.",
        max_length=40,
        widget=_typed_code_input(autocapitalize="characters"),
    )

    field_order = ["enrolment_code", "code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One field has the focus: the first one, the enrolment code.
        self.fields["code"].widget.attrs.pop("autofocus", None)
