"""
The roles a person may hold, as data.

The machinery's own roles (the council's reviewers, the board's members, the portal's
administrators) are fixed here. The roles that send figures belong to the domains: each
domain registers the role that sends its return from its `AppConfig.ready()` (through
`opb_portal.core.domains.register`), so a new domain brings its own submitter without an
edit here. `User.role` stores the role's value whichever kind it is.

Who sends which return is told to this module by the return registry
(`opb_portal.submissions.registry.register`), so the permission check answers "may this
person send that return?" without importing the workflow that asks it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class Role(models.TextChoices):
    """The roles the machinery itself refers to: it checks, reads and keeps the rules."""

    REVIEWER = "reviewer", "Council reviewer"
    BOARD_MEMBER = "board_member", "Board member"
    ADMINISTRATOR = "administrator", "Administrator"


@dataclass(frozen=True)
class DemoPerson:
    """The demonstration's person holding a role: `make demo` signs them in by this username."""

    username: str
    first_name: str
    last_name: str


@dataclass(frozen=True)
class SubmitterRole:
    """A role that sends a domain's return, for the Trust only."""

    value: str  # what User.role stores: "<domain>_submitter"
    label: str  # what people read: "Trust submitter: <what it sends>"
    demo_person: DemoPerson | None = None


#: The longest role value `User.role` stores.
VALUE_MAX_LENGTH = 30

_SUBMITTERS: dict[str, SubmitterRole] = {}
# Return domain -> the value of the role that sends it.
_SENDERS: dict[str, str] = {}


def register_submitter(role: SubmitterRole) -> None:
    """Add a domain's submitter role; registering the same role again changes nothing."""
    if role.value in Role.values:
        raise ValueError(f"{role.value!r} is one of the machinery's own roles")
    if not role.value or len(role.value) > VALUE_MAX_LENGTH:
        raise ValueError(f"A role's value is 1 to {VALUE_MAX_LENGTH} characters: {role.value!r}")
    known = _SUBMITTERS.get(role.value)
    if known is not None and known != role:
        raise ValueError(f"Two different roles are registered as {role.value!r}")
    _SUBMITTERS[role.value] = role


def register_sender(*, domain: str, role: str) -> None:
    """Record that `role` sends the return of `domain` (the return registry calls this)."""
    _SENDERS[domain] = role


def sender_of(domain: str) -> str:
    """The value of the role that sends `domain`'s return; KeyError for an unknown return."""
    return _SENDERS[domain]


def submitter_roles() -> list[SubmitterRole]:
    """The registered submitter roles, in the order their domains were installed."""
    return list(_SUBMITTERS.values())


def is_submitter(value: str) -> bool:
    return value in _SUBMITTERS


def values() -> list[str]:
    """Every role's value: the submitters first (as the Trust sends before the council reads)."""
    return [*_SUBMITTERS, *Role.values]


def choices() -> list[tuple[str, str]]:
    """`User.role`'s choices, read when asked, so a role registered at start-up is offered."""
    return [*((role.value, role.label) for role in _SUBMITTERS.values()), *Role.choices]


def label(value: str) -> str:
    """What people call the role stored as `value`; the value itself for an unknown role."""
    return dict(choices()).get(value, value)
