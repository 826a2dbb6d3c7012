"""
Panels: a piece of one domain's figures that another domain's pages show, found by key.

A domain never imports another (import-linter's contracts in pyproject.toml), yet a
page sometimes shows what another domain owns: the demand dashboard shows demand
against the finance plan's assumptions, which finance works out. The owner describes
the piece as a `Panel` and registers it from its `AppConfig.ready()`; the page asks for
it by its key, and draws the owner's partial (`{% include shown.template with
panel=shown.content %}`) or, in an API, writes `shown.data`. A page whose panel nobody
registered shows nothing in its place: the host domain still works without the owner.

A page about one subject (`core.subjects`: a KPI's page) asks `about(key, ref)` instead:
the owner's records about that subject (a KPI's exception reports and rectification plans).

This module names no domain: keys are plain strings agreed by the two sides
(`"finance.against_plan"`), written where the panel is registered and where it is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from opb_portal.periods import Period

_PANELS: dict[str, Panel] = {}


@dataclass(frozen=True)
class Panel:
    """
    What a domain offers other domains' pages.

    - `key`: how the pages ask for it, prefixed by the owner (`"finance.against_plan"`).
    - `template`: the owner's partial, given the content as `panel`.
    - `build(period)`: the content for a month, in the queries its docstring names.
    - `data(content)`: the content as JSON-ready values, for a page's API twin.
    - `about(ref)`: the content for one subject's page (`kpi:2024/PI9`), instead of a month.
    """

    key: str
    template: str
    build: Callable[[Period], Any] | None = None
    data: Callable[[Any], dict] | None = None
    about: Callable[[str], Any] | None = None


@dataclass(frozen=True)
class Shown:
    """A panel built for one month: what a host page draws."""

    panel: Panel
    content: Any

    @property
    def template(self) -> str:
        return self.panel.template

    @property
    def data(self) -> dict:
        return self.panel.data(self.content) if self.panel.data else {}


def register(panel: Panel) -> None:
    """Offer `panel` to other domains' pages; called from the owner's `AppConfig.ready()`."""
    _PANELS[panel.key] = panel


def shown(key: str, period: Period) -> Shown | None:
    """The panel `key` built for `period`, or None (no query) when no domain offers it."""
    panel = _PANELS.get(key)
    return None if panel is None or panel.build is None else Shown(panel, panel.build(period))


def about(key: str, ref: str) -> Shown | None:
    """The panel `key` built for the subject `ref`, or None (no query) when nobody offers it."""
    panel = _PANELS.get(key)
    return None if panel is None or panel.about is None else Shown(panel, panel.about(ref))
