"""
The home page (`/`): what each person should look at first, found through a registry.

A board member opens the portal to see where the contract stands; a Trust submitter to see
what is due from them; a council reviewer to see what waits for their review. Each of those
is a panel one app owns: the board pack's summary, the returns due, the exception reports
waiting for the council, the board's overdue actions. The owner describes its panel with
`HomePanel` and registers it from its `AppConfig.ready()`; the home page draws, in `order`,
every panel whose audience holds the person's role. This module names no domain and no
panel: a new domain's panel is a registration, not an edit here.

Who sees a panel is data, as the role matrix is: `audience` holds role values and
`permissions.SUBMITTERS`, the name of every submitter role the domains register.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from opb_portal.accounts import roles
from opb_portal.accounts.permissions import SUBMITTERS, can

from . import domains

_PANELS: dict[str, HomePanel] = {}


@dataclass(frozen=True)
class HomePanel:
    """
    One panel of the home page.

    - `key`: unique, prefixed by its owner (`"submissions.due"`); also the panel's anchor.
    - `title`: its heading.
    - `order`: where it goes: what the person must act on first (10 to 99), then what they
      read (100 to 199), then links (200 and above).
    - `template`: the owner's partial, given the content as `panel` and the person as `user`.
    - `build(user)`: the content for this person, in the queries its docstring names; None
      leaves the panel out (nothing to show and nothing worth saying so).
    - `audience`: the role values that see it, and `SUBMITTERS` for every submitter role.
    """

    key: str
    title: str
    order: int
    template: str
    build: Callable[[Any], Any]
    audience: frozenset[str]

    def shows_to(self, user) -> bool:
        role = getattr(user, "role", "")
        if not role:
            return False
        return role in self.audience or (SUBMITTERS in self.audience and roles.is_submitter(role))


@dataclass(frozen=True)
class Shown:
    """A panel built for one person: what the home page draws."""

    panel: HomePanel
    content: Any

    @property
    def key(self) -> str:
        return self.panel.key

    @property
    def title(self) -> str:
        return self.panel.title

    @property
    def template(self) -> str:
        return self.panel.template


def register(panel: HomePanel) -> None:
    """Add (or replace, by key) a panel; called from its owner's `AppConfig.ready()`."""
    _PANELS[panel.key] = panel


def unregister(key: str) -> None:
    _PANELS.pop(key, None)


def panels() -> list[HomePanel]:
    """Every registered panel, in order."""
    return sorted(_PANELS.values(), key=lambda panel: (panel.order, panel.key))


def panels_for(user) -> list[Shown]:
    """The panels `user`'s role sees, each built for them, in order (None: left out)."""
    shown = [Shown(panel, panel.build(user)) for panel in panels() if panel.shows_to(user)]
    return [item for item in shown if item.content is not None]


# --- the machinery's own panel ----------------------------------------------------------------

# The navigation's workflow and administration links start here (`domains.Link.order`).
WORKFLOW_ORDER = 100


def workflow_links(user) -> list[tuple[str, str]]:
    """
    The workflow's and the administration's pages the person may open (board packs, returns,
    locking months, the admin), as the navigation registers them: no query.
    """
    return [
        (reverse(link.url_name), link.label)
        for link in domains.navigation()
        if link.order >= WORKFLOW_ORDER and can(user, link.action)
    ]


def register_own() -> None:
    """The machinery's panel: an administrator's pages; called from `CoreConfig.ready()`."""
    register(
        HomePanel(
            key="core.administration",
            title="Administration",
            order=200,
            template="core/home/links.html",
            build=workflow_links,
            audience=frozenset({roles.Role.ADMINISTRATOR}),
        )
    )
