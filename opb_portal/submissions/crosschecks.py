"""
Figures two returns both give, checked against each other by a declared key.

PI12 in the KPI return is the permanent vacancy rate the workforce return works out,
and each return checks that the other agrees. Neither domain imports the other; they
meet here, by a key named as data:

- the domain that works a figure out registers it (`register`) under a key such as
  `workforce.permanent_vacancy_rate`, with the tolerance within which another
  return's figure agrees with it, and a function giving the month's figure;
- a domain whose lines may be that same figure lets a line declare the key (a KPI
  definition's `cross_check` field) and registers a finder (`register_finder`):
  given a key and a month, the line declaring it and its figure.

The KPI return asks `get(key)` for the workforce figure; the workforce return asks
`declared(key, period)` for the KPI that declares its key. Both figures are each
return's latest version, approved or not (the two returns are usually prepared
together), else its approved figures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from opb_portal.periods import Period

from . import registry


@dataclass(frozen=True)
class CrossCheck:
    """A figure one domain works out, that another return's lines may declare they give too."""

    key: str
    domain: str  # the return whose figure it is
    title: str  # "permanent vacancy rate", as a sentence names it
    tolerance: Decimal  # the largest difference that still agrees
    figure: Callable[[Period], Decimal | None]

    @property
    def return_label(self) -> str:
        return registry.get(self.domain).label

    def agrees(self, value: Decimal, other: Decimal) -> bool:
        return abs(value - other) <= self.tolerance


@dataclass(frozen=True)
class Declared:
    """The line of another return that declares a key, and its figure for a month."""

    domain: str
    line: str  # "PI12"
    value: Decimal | None

    @property
    def return_label(self) -> str:
        return registry.get(self.domain).label


_CHECKS: dict[str, CrossCheck] = {}
_FINDERS: dict[str, Callable[[str, Period], Declared | None]] = {}


def register(check: CrossCheck) -> None:
    _CHECKS[check.key] = check


def get(key: str) -> CrossCheck | None:
    """The figure registered under `key`; None for a key nobody registered."""
    return _CHECKS.get(key)


def keys() -> list[str]:
    return sorted(_CHECKS)


def register_finder(domain: str, finder: Callable[[str, Period], Declared | None]) -> None:
    """A domain whose lines declare keys: `finder(key, period)` gives the line and its figure."""
    _FINDERS[domain] = finder


def declared(key: str, period: Period) -> Declared | None:
    """The first line of any return that declares `key` for `period`, with its figure."""
    for finder in _FINDERS.values():
        found = finder(key, period)
        if found is not None:
            return found
    return None
