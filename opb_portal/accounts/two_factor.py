"""
Two-factor sign-in: a code from an authenticator app (TOTP), or a single-use recovery code.

django-otp keeps the devices and checks the codes (with its back-off after wrong ones);
this module holds the portal's rules: who must use a second factor, what a session still
owes after the password, and the few operations a person performs on their own factor.

Setting up a first factor where the role requires one also takes an enrolment code that an
administrator issued to that person: the password alone (which may have been stolen, on an
account that may have been promoted by someone else) is not enough to add the factor that
then opens the admin. Every factor set up is recorded and emailed to the person and the
administrators.
"""

from __future__ import annotations

import base64
import math
from datetime import timedelta
from enum import StrEnum

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from opb_portal.outbox.services import queue_email

from .models import EnrolmentCode, Role, TwoFactorEnrolment, User
from .permissions import Action, can

#: Session key: this person has a second factor and has not given it since the password.
PENDING = "opb_two_factor_pending"
#: Session key: the second factor was the identity provider's (accounts.sso.SECOND_FACTOR_BY).
SECOND_FACTOR_BY = "opb_two_factor_by"
#: Session key: recovery codes made a moment ago, shown once on the next page and dropped.
NEW_RECOVERY_CODES = "opb_new_recovery_codes"
RECOVERY_CODE_COUNT = 10
#: How long an enrolment code works: a day to pass it on and use it.
ENROLMENT_CODE_LIFETIME = timedelta(hours=24)


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


def enrolment_code_needed(user: User) -> bool:
    """
    A first second factor for a role that must have one needs an administrator's code;
    a factor a person chooses to add (their role does not require one) does not.
    """
    return user.two_factor_required() and not has_two_factor(user)


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
    if request.session.get(SECOND_FACTOR_BY):
        # Signed in through a provider whose token says it asked for a second factor.
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


def enrolment_code_issue(*, user: User, issued_by: User | None) -> str:
    """
    A new enrolment code for `user`, returned once and kept only as a hash; any code issued
    to them before stops working. `issued_by` is the administrator (None from the command
    line, where whoever runs it already controls the server). Nobody issues their own.
    """
    if issued_by is not None:
        if not can(issued_by, Action.ISSUE_ENROLMENT_CODE):
            raise TwoFactorError(
                "Only an administrator issues enrolment codes.", reason="not_administrator"
            )
        if issued_by.pk == user.pk:
            raise TwoFactorError(
                "You cannot issue an enrolment code for yourself: ask another administrator.",
                reason="own_code",
            )
    if not user.is_active:
        raise TwoFactorError(f"{user} cannot sign in: no code is needed.", reason="inactive")
    if has_two_factor(user):
        raise TwoFactorError(
            f"{user} already has two-factor sign-in: a code is only for setting up a first "
            "factor. If they lost it, remove their authenticator in the admin first.",
            reason="already_on",
        )
    now = timezone.now()
    EnrolmentCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    code = EnrolmentCode.new_code()
    grant = EnrolmentCode(
        user=user,
        code_hash=EnrolmentCode.hash(code),
        issued_by=issued_by,
        created_at=now,
        expires_at=now + ENROLMENT_CODE_LIFETIME,
    )
    grant.full_clean()
    grant.save()
    return code


def _enrolment_code_refused(reason: str) -> TwoFactorError:
    # One message for every refusal (the reason goes to the audit log only).
    return TwoFactorError(
        "That enrolment code is not right, has been used, or has expired. "
        "Ask an administrator for a new one.",
        reason=reason,
    )


def _enrolment_code_for(user: User, typed: str) -> EnrolmentCode:
    """The usable code `user` typed: issued to them, unused and unexpired."""
    if not EnrolmentCode.normalise(typed):
        raise _enrolment_code_refused("enrolment_code_missing")
    grant = EnrolmentCode.objects.filter(user=user, code_hash=EnrolmentCode.hash(typed)).first()
    if grant is None:
        raise _enrolment_code_refused("enrolment_code_wrong")
    if grant.used_at is not None:
        raise _enrolment_code_refused("enrolment_code_used")
    if not grant.usable():
        raise _enrolment_code_refused("enrolment_code_expired")
    return grant


def two_factor_confirm(*, device: TOTPDevice, code: str, enrolment_code: str = "") -> list[str]:
    """
    Turn the device on once it shows the right code; returns the new recovery codes.

    Where the person's role requires a second factor and this is their first, `enrolment_code`
    must be one an administrator issued to them, unused and unexpired; it is used up here.
    The enrolment is recorded and emailed to the person and the administrators.
    """
    user = device.user
    grant = _enrolment_code_for(user, enrolment_code) if enrolment_code_needed(user) else None
    # The app's code is checked (and its back-off recorded) outside the block below, so a
    # wrong code counts even though nothing else is saved.
    device = _check(device, code)
    with transaction.atomic():
        if grant is not None:
            # One use, even with two tabs racing: only one UPDATE finds it unused.
            now = timezone.now()
            taken = EnrolmentCode.objects.filter(
                pk=grant.pk, used_at__isnull=True, expires_at__gt=now
            ).update(used_at=now)
            if not taken:
                raise _enrolment_code_refused("enrolment_code_used")
        device.confirmed = True
        device.full_clean()
        device.save()
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        enrolment = TwoFactorEnrolment(user=user, enrolment_code=grant)
        enrolment.full_clean()
        enrolment.save()
        _tell_of_enrolment(enrolment)
        return recovery_codes_regenerate(user=user)


def _tell_of_enrolment(enrolment: TwoFactorEnrolment) -> None:
    """The person and the administrators hear of every second factor set up."""
    user, grant = enrolment.user, enrolment.enrolment_code
    when = timezone.localtime(enrolment.enrolled_at).strftime("%H:%M on %d %B %Y")
    how = ""
    if grant is not None:
        issuer = grant.issued_by or "the command line (manage.py enrolment_code)"
        how = f" with an enrolment code issued by {issuer}"
    link = f"{settings.PORTAL_URL.rstrip('/')}{reverse('accounts:two_factor')}"
    subject = "OPB portal: a second factor was added to your account"
    if user.email:
        queue_email(
            to=user.email,
            subject=subject,
            body=(
                f"A second factor (an authenticator app) was added to your OPB portal account "
                f"({user.username}) at {when}{how}.\n\n"
                "If this was not you, tell an administrator at once: someone else may be "
                "able to sign in as you.\n\n"
                f"Your two-factor settings: {link}\n"
            ),
        )
    administrators = (
        User.objects.filter(is_active=True, role=Role.ADMINISTRATOR)
        .exclude(pk=user.pk)
        .exclude(email="")
    )
    for address in sorted(set(administrators.values_list("email", flat=True))):
        queue_email(
            to=address,
            subject=f"OPB portal: a second factor was added to {user.username}'s account",
            body=(
                f"{user} ({user.username}, {user.get_role_display() or 'no role'}) set up a "
                f"second factor at {when}{how}.\n\n"
                "If you did not expect this, check their account and their role in the admin.\n"
            ),
        )


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
