"""
Organisations, people and their roles.

A person belongs to one organisation (the Trust or the Council) and holds one
role. Roles are deliberately coarse, matching the OPB's working arrangements:
who may send figures, who checks them, who reads them, who keeps the rules.
"""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


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


class Role(models.TextChoices):
    KPI_SUBMITTER = "kpi_submitter", "Trust submitter: KPIs"
    FINANCE_SUBMITTER = "finance_submitter", "Trust submitter: finance"
    WORKFORCE_SUBMITTER = "workforce_submitter", "Trust submitter: workforce"
    REVIEWER = "reviewer", "Council reviewer"
    BOARD_MEMBER = "board_member", "Board member"
    ADMINISTRATOR = "administrator", "Administrator"


#: The roles that change the rules or judge the Trust's figures: their password alone is not
#: enough where the deployment requires a second factor (settings.REQUIRE_TWO_FACTOR).
TWO_FACTOR_ROLES = frozenset({Role.ADMINISTRATOR, Role.REVIEWER})


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    # Blank means "no role": the person can sign in but sees nothing. Removing a
    # role is how access is revoked without deleting the history they left.
    role = models.CharField(max_length=30, choices=Role.choices, blank=True)

    def __str__(self):
        return self.get_full_name() or self.username

    def two_factor_required(self) -> bool:
        """Must this person use a second factor? Read per request, so a new role applies at once."""
        return settings.REQUIRE_TWO_FACTOR and self.role in TWO_FACTOR_ROLES


class ApiToken(models.Model):
    """A per-person key for the read-only API (Power BI, scripts)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="api_token")
    key = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"API token for {self.user}"

    @staticmethod
    def generate_key() -> str:
        return secrets.token_hex(20)
