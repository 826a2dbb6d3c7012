"""
The figures that are off track in a month, as each domain judges them, found by registry.

The board asks for an exception report on every red KPI (and amber, where the
administrator sets it for the KPI), and a rectification plan once a KPI is escalated (red
for more than three consecutive months outside grace: the contract's trigger). Which
figures those are is the owning domain's judgement, made with the one RAG evaluator; the
records that answer them are another domain's. The owner registers a provider from its
`AppConfig.ready()`; readers ask `at(period)` and never import the owner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from opb_portal.periods import Period

_PROVIDERS: dict[str, Callable[[Period], list[OffTrack]]] = {}


@dataclass(frozen=True)
class OffTrack:
    """
    One figure off track in a month.

    - `subject`: its reference (`opb_portal.core.subjects`), `kpi:2024/PI9`; `label` and `url`
      as the pages name and link it.
    - `status`: "red" or "amber"; `value`: the figure as the pages write it.
    - `needs_report`: an exception report is due before the month's pack is issued.
    - `escalated`: the contract's trigger is met, so a rectification plan is due.
    - `domain`: the return it is a figure of: that return's submitter explains it (writes the
      exception report, `permissions.can(user, action, domain=...)`).
    """

    subject: str
    label: str
    status: str
    value: str = ""
    url: str = ""
    needs_report: bool = False
    escalated: bool = False
    domain: str = ""


def register(owner: str, provider: Callable[[Period], list[OffTrack]]) -> None:
    """Offer `provider(period)`, the owner's figures off track in a month; from `ready()`."""
    _PROVIDERS[owner] = provider


def at(period: Period) -> list[OffTrack]:
    """Every registered domain's figures off track in `period`, in the owners' order."""
    return [item for owner in sorted(_PROVIDERS) for item in _PROVIDERS[owner](period)]
