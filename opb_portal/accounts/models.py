"""
Organisations, people and their roles.

A person belongs to one organisation (the Trust or the Council) and holds one
role. Roles are deliberately coarse, matching the OPB's working arrangements:
who may send figures, who checks them, who reads them, who keeps the rules.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from . import roles
from .roles import Role


class Organisation(models.Model):
    class Kind(models.TextChoices):
        TRUST = "trust", "Trust"
        COUNCIL = "council", "Council"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


#: The roles that change the rules or judge the Trust's figures: their password alone is not
#: enough where the deployment requires a second factor (settings.REQUIRE_TWO_FACTOR).
TWO_FACTOR_ROLES = frozenset({Role.ADMINISTRATOR, Role.REVIEWER})


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    # Blank means "no role": the person can sign in but sees nothing. Removing a
    # role is how access is revoked without deleting the history they left. The
    # choices are read when asked: the submitter roles are the domains' (accounts.roles).
    role = models.CharField(max_length=roles.VALUE_MAX_LENGTH, choices=roles.choices, blank=True)
    # Where single sign-on is on, local passwords are turned off for everyone but these few
    # (settings.LOCAL_PASSWORDS = "break-glass"): an administrator's way in when a provider is
    # down. A flag of its own, not the staff or superuser bit: those say what a person may do
    # in the admin, this says how they may sign in. They always need a second factor.
    break_glass = models.BooleanField(
        "break-glass account",
        default=False,
        help_text="May sign in with a portal password when single sign-on is required of "
        "everyone else; always with two-factor sign-in.",
    )

    def __str__(self):
        return self.get_full_name() or self.username

    def two_factor_required(self) -> bool:
        """Must this person use a second factor? Read per request, so a new role applies at once."""
        if self.break_glass:
            return True
        return settings.REQUIRE_TWO_FACTOR and self.role in TWO_FACTOR_ROLES

    def may_use_password(self) -> bool:
        """May this person sign in with a portal password (settings.LOCAL_PASSWORDS)?"""
        return settings.LOCAL_PASSWORDS == "everyone" or self.break_glass


class ExternalIdentity(models.Model):
    """
    A person as their organisation's identity provider knows them: its stable `sub`.

    Linked once (by the first sign-in) and then matched on `sub` alone, so a change of
    e-mail address at the provider does not matter. Unique per organisation: the same
    `sub` from the other organisation's provider is somebody else.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=255)
    linked_at = models.DateTimeField(default=timezone.now)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "subject"], name="one_person_per_subject"
            )
        ]
        verbose_name_plural = "external identities"

    def __str__(self):
        return f"{self.user} at {self.organisation} ({self.subject})"


class ApiToken(models.Model):
    """
    A person's key for the read-only API (Power BI, Excel, scripts).

    Only the key's SHA-256 is kept, so the table holds no key anyone could use: the key
    is shown once, when it is made. A random 160-bit key needs no slow hash: nobody can
    try 2**160 of them. A person may hold several (one per tool), sees when each was
    last used, and revokes any; an administrator revokes them in the admin. A revoked
    key is kept, marked, so the record of who could read the figures stays.
    """

    #: How many characters of the key are kept readable, so a person tells their keys apart.
    PREFIX_LENGTH = 6
    #: `last_used_at` is written at most this often per key: not a write on every request.
    LAST_USED_EVERY = datetime.timedelta(minutes=1)

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True, help_text="What the key is for.")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=PREFIX_LENGTH)
    created = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created"]
        verbose_name = "API key"

    def __str__(self):
        return f"API key {self.prefix}… of {self.user}" + (" (revoked)" if self.revoked_at else "")

    @staticmethod
    def generate_key() -> str:
        return secrets.token_hex(20)

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user: User, name: str = "") -> tuple["ApiToken", str]:
        """A new key for `user`: the stored row and the key itself, to show once."""
        key = cls.generate_key()
        token = cls(user=user, name=name, key_hash=cls.hash(key), prefix=key[: cls.PREFIX_LENGTH])
        token.full_clean()
        token.save()
        return token, key

    @classmethod
    def active(cls):
        """Keys that open the API: not revoked, of a person not disabled."""
        return cls.objects.filter(revoked_at__isnull=True, user__is_active=True)

    @classmethod
    def for_key(cls, key: str) -> "ApiToken | None":
        """The active key `key` is, with its person and their organisation (1 query)."""
        if not key:
            return None
        return (
            cls.active().select_related("user__organisation").filter(key_hash=cls.hash(key)).first()
        )

    def revoke(self, *, by: User | None) -> None:
        if self.revoked_at is None:
            self.revoked_at, self.revoked_by = timezone.now(), by
            self.save(update_fields=["revoked_at", "revoked_by"])

    def mark_used(self, now=None) -> None:
        """Note the use, at most once a minute (one UPDATE, none on most requests)."""
        now = now or timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= self.LAST_USED_EVERY:
            type(self).objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now


class EnrolmentCode(models.Model):
    """
    A single-use code an administrator gives a person, in person or by phone, so that they
    can set up their first second factor where their role requires one.

    The password alone must not be enough to add the factor that then guards the admin:
    someone who took over an account, or had it promoted, has the password but not this.
    Only a hash is kept, so the table does not hold a code anyone could use.
    """

    #: Letters and digits nobody misreads (no 0/O, 1/I/L): 31 of them, about 5 bits each.
    ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    GROUPS, GROUP_LENGTH = 3, 5

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enrolment_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    # Empty when issued from the command line (`manage.py enrolment_code`).
    issued_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Enrolment code for {self.user}, issued {self.created_at:%Y-%m-%d %H:%M}"

    @classmethod
    def new_code(cls) -> str:
        """Fifteen characters in three groups, such as 7KQ2M-XW4HT-9PZRC (about 74 bits)."""
        groups = (
            "".join(secrets.choice(cls.ALPHABET) for _ in range(cls.GROUP_LENGTH))
            for _ in range(cls.GROUPS)
        )
        return "-".join(groups)

    @staticmethod
    def normalise(typed: str) -> str:
        """What was typed, as issued: capitals, without spaces or hyphens."""
        return "".join(ch for ch in typed.upper() if ch.isalnum())

    @classmethod
    def hash(cls, code: str) -> str:
        # A random 74-bit code needs no slow hash: nobody can try 2**74 of them.
        return hashlib.sha256(cls.normalise(code).encode()).hexdigest()

    def usable(self, now=None) -> bool:
        return self.used_at is None and self.expires_at > (now or timezone.now())


class TwoFactorEnrolment(models.Model):
    """The record of a second factor set up: who, when, and with which enrolment code."""

    # A record like a return's events: kept whatever becomes of the person (disable, not delete).
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="two_factor_enrolments")
    enrolled_at = models.DateTimeField(default=timezone.now)
    # Empty where the role did not require a second factor: no code was asked for.
    enrolment_code = models.OneToOneField(
        EnrolmentCode, on_delete=models.PROTECT, null=True, blank=True, related_name="enrolment"
    )

    class Meta:
        ordering = ["-enrolled_at"]

    def __str__(self):
        return f"{self.user} set up a second factor at {self.enrolled_at:%Y-%m-%d %H:%M}"
