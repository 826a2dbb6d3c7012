"""
Two-factor sign-in: a code from an authenticator app (TOTP), or a single-use recovery code.

django-otp keeps the devices and checks the codes (with its back-off after wrong ones);
this module holds the portal's rules: who must use a second factor, what a session still
owes after the password, and the few operations a person performs on their own factor.
"""

from __future__ import annotations

import base64
import math
from enum import StrEnum

import django_otp
import qrcode
import qrcode.image.svg
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

#: Session key: this person has a second factor and has not given it since the password.
PENDING = "opb_two_factor_pending"
#: Session key: recovery codes made a moment ago, shown once on the next page and dropped.
NEW_RECOVERY_CODES = "opb_new_recovery_codes"
RECOVERY_CODE_COUNT = 10


class Step(StrEnum):
    """What a session signed in with a password still has to do, and the page that does it."""

    VERIFY = "accounts:two_factor_verify"
    ENROL = "accounts:two_factor_enrol"


class Method(StrEnum):
    AUTHENTICATOR = "authenticator"
    RECOVERY_CODE = "recovery_code"


class TwoFactorError(Exception):
    """A code refused, with what to tell the person and a reason for the audit log."""

    def __init__(self, message: str, *, reason: str):
        super().__init__(message)
        self.message = message
        self.reason = reason


# --- rules -------------------------------------------------------------------------------


def has_two_factor(user: User) -> bool:
    """An authenticator app set up and confirmed; recovery codes only back it up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_step(request) -> Step | None:
    """
    What this request's session owes before any page: nothing, the code, or setting up a factor.

    Costs no query for most requests: only a person who must use a second factor and has
    not given one is looked up (and is then kept to two pages anyway).
    """
    user = request.user
    if not user.is_authenticated or getattr(request, "signed_in_by_token", False):
        return None
    if user.is_verified():
        return None
    if request.session.get(PENDING):
        return Step.VERIFY
    if user.two_factor_required():
        return Step.VERIFY if has_two_factor(user) else Step.ENROL
    return None


def on_sign_in(sender, request, user, **kwargs) -> None:
    """
    After the password: remember whether this session owes a code. Anyone who has set up a
    second factor is asked for it, whether or not their role requires one.
    """
    if request is not None and hasattr(request, "session") and has_two_factor(user):
        request.session[PENDING] = True


def enrolment_qr(device: TOTPDevice) -> str:
    """
    The device's key as a QR code, an SVG `data:` URL: drawn here, so no third party sees
    the key, and an <img> so the Content-Security-Policy needs no inline style.
    """
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def manual_key(device: TOTPDevice) -> str:
    """The key as an app asks for it when typed in: base32, in groups of four."""
    text = base64.b32encode(device.bin_key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


# --- operations ----------------------------------------------------------------------------


def _check(device: Device, code: str) -> Device:
    """The device as updated by accepting `code`; each refused code lengthens the back-off."""
    allowed, why = device.verify_is_allowed()
    if not allowed:
        wait = math.ceil((why["locked_until"] - timezone.now()).total_seconds())
        raise TwoFactorError(
            f"Too many wrong codes in a row: wait {max(wait, 1)} seconds, then try again.",
            reason="throttled",
        )
    # django-otp reads the device again under a row lock: one code, one use.
    accepted = django_otp.verify_token(device.user, device.persistent_id, code)
    if accepted is None:
        raise TwoFactorError("That code is not right. Check it and try again.", reason="wrong_code")
    return accepted


def two_factor_start(*, user: User) -> TOTPDevice:
    """The key a person is setting up: the same one until they confirm it, so reloading is safe."""
    if has_two_factor(user):
        raise TwoFactorError("Two-factor sign-in is already on.", reason="already_on")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice(user=user, name="Authenticator app", confirmed=False)
        device.full_clean()
        device.save()
    return device


def two_factor_confirm(*, device: TOTPDevice, code: str) -> list[str]:
    """Turn the device on once it shows the right code; returns the new recovery codes."""
    device = _check(device, code)
    device.confirmed = True
    device.full_clean()
    device.save()
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return recovery_codes_regenerate(user=device.user)


def two_factor_verify(*, user: User, code: str, method: Method) -> Device:
    """The second step of signing in: the device that accepted the code."""
    model = StaticDevice if method == Method.RECOVERY_CODE else TOTPDevice
    device = model.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise TwoFactorError("You have no recovery codes left.", reason="no_device")
    return _check(device, code)


def recovery_codes_regenerate(*, user: User) -> list[str]:
    """A fresh set of single-use codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice(user=user, name="Recovery codes", confirmed=True)
    device.full_clean()
    device.save()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def two_factor_disable(*, user: User) -> None:
    """Remove the authenticator and the recovery codes; a required role must set up again."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
