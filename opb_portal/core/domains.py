"""
What each domain adds to the portal, found through one registry.

A domain app calls `register(Domain(...))` from its `AppConfig.ready()`: its pages
(`opb_portal.urls` includes them under the domain's prefix), its links in the main
navigation, the role that sends its return, and its part of the demonstration. With its
return spec (`submissions.registry.register`), its board-pack sections
(`boardpack.sections.register`) and its API router (`core.api.register`), that is all a
domain adds: a new domain is its own folder and one line in `INSTALLED_APPS`, and the
machinery never imports a domain app.

The machinery registers its own links (board packs, returns, the admin) with
`register_navigation`, so the navigation is one ordered list whoever added each link.
Everything is read from here after start-up; nothing is registered while a request runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, include, path

from opb_portal.accounts import roles
from opb_portal.accounts.permissions import Action


@dataclass(frozen=True)
class Link:
    """One link of the main navigation."""

    label: str
    url_name: str  # reversed with no arguments
    # Place in the navigation: domains' pages 10 to 99, the workflow 100 to 199,
    # administration 200 and above.
    order: int
    # Who sees the link: people whose role holds this action (accounts.permissions.MATRIX).
    action: Action = Action.VIEW_DASHBOARDS
    # Also offered by the error pages, which render with no person and no database.
    on_error_pages: bool = False


@dataclass(frozen=True)
class Pages:
    """A domain's page URLs: the module of its `urlpatterns`, mounted under `prefix`."""

    urlconf: str  # "<app>.urls"
    prefix: str = ""  # "<app>/"; empty where the module names its own first segments


@dataclass(frozen=True)
class DemoLoader:
    """A part of `manage.py load_demo`: run in `order`, safe to run again."""

    # Domains 10 to 999, in the order their data depends on; the machinery's meeting after.
    order: int
    load: Callable[[], object]
    # The line `load_demo` prints: `says.format(what load returned)`, so "{}" or "{0.date}".
    says: str


@dataclass(frozen=True)
class Domain:
    """Everything one domain app registers besides its return, pack sections and API."""

    name: str  # the app's label
    # How a sentence names the domain's figures: the API's description says "the approved
    # <label>, <label> and <label> figures".
    label: str
    pages: Pages | None = None
    navigation: tuple[Link, ...] = ()
    submitter: roles.SubmitterRole | None = None
    demo: DemoLoader | None = None


_DOMAINS: dict[str, Domain] = {}
_LINKS: dict[str, Link] = {}
# The machinery's own parts of the demonstration (the OPB meeting), by the function's name.
_DEMO: dict[str, DemoLoader] = {}


def register(domain: Domain) -> None:
    """Add a domain (from its `AppConfig.ready()`); registering it again changes nothing."""
    _DOMAINS[domain.name] = domain
    register_navigation(*domain.navigation)
    if domain.submitter is not None:
        roles.register_submitter(domain.submitter)


def register_navigation(*links: Link) -> None:
    """Add links to the main navigation; a link is known by its URL name, one link a page."""
    for link in links:
        known = _LINKS.get(link.url_name)
        if known is not None and known != link:
            raise ValueError(f"Two different links to {link.url_name!r} are registered")
        _LINKS[link.url_name] = link


def register_demo(loader: DemoLoader) -> None:
    """Add a part of the demonstration that is the machinery's own, such as its meeting."""
    _DEMO[f"{loader.load.__module__}.{loader.load.__qualname__}"] = loader


def registered() -> list[Domain]:
    """The registered domains, in the order their apps are installed."""
    return list(_DOMAINS.values())


def navigation() -> list[Link]:
    """Every link of the main navigation, in order; `can()` decides who sees each."""
    return sorted(_LINKS.values(), key=lambda link: link.order)


def current_link(path: str, addresses: list[str]) -> str | None:
    """
    Of the navigation's `addresses`, the one whose section `path` is in: the longest address
    `path` starts with, else the first under the same first part of the path, else None.
    """
    within = [address for address in addresses if path.startswith(address) and address != "/"]
    if within:
        return max(within, key=len)
    first = path.strip("/").split("/")[0]
    if not first:
        return None
    return next((a for a in addresses if a.strip("/").split("/")[0] == first), None)


def page_urls() -> list[URLPattern | URLResolver]:
    """Each domain's pages, for `opb_portal.urls`, in the order the domains are installed."""
    return [
        path(domain.pages.prefix, include(domain.pages.urlconf))
        for domain in _DOMAINS.values()
        if domain.pages is not None
    ]


def demo_loaders() -> list[DemoLoader]:
    """Every part of the demonstration after its people, in the order they must run."""
    loaders = [domain.demo for domain in _DOMAINS.values() if domain.demo is not None]
    return sorted([*loaders, *_DEMO.values()], key=lambda loader: loader.order)
